/* sws-http-api.c: JSON API, metrics and status page on the SIP port
 *
 * Plain HTTP requests on the listening port land here (upgrades are SIP
 * flows and never do). The JSON is the D-Bus objects' own shape, built by
 * sws-json.c from the same property mapping the bus uses, so a script can
 * switch between `sipwsctl --json`, busctl and this API freely.
 *
 * Access: a loopback peer is trusted like a local user on the bus
 * ([http] trust-loopback), as long as its Host header names a loopback or
 * literal address: a web page that rebinds its own DNS name to 127.0.0.1
 * must not read the API (DNS rebinding). Everyone else needs the bearer
 * token of [http] token; /metrics may have its own token or be public.
 */

#define G_LOG_DOMAIN "sws-http"

#include "config.h"

#include "sws-dbus-call.h"
#include "sws-dbus-manager.h"
#include "sws-dbus-registration.h"
#include "sws-http-api.h"
#include "sws-http-events.h"
#include "sws-http-metrics.h"
#include "sws-json.h"
#include "sws-web-resources.h"

#define ROOT_PATH "/org/sipws/Server1"
#define RESOURCE_PREFIX "/org/sipws/web"

struct _SwsHttpApi
{
  GObject parent_instance;

  SwsServer *server;
  SwsHttpEvents *events;
};

G_DEFINE_FINAL_TYPE (SwsHttpApi, sws_http_api, G_TYPE_OBJECT)

typedef enum {
  ACCESS_API,
  ACCESS_METRICS,
} AccessKind;

/* ---- answers ------------------------------------------------------------ */

static void
reply_bytes (SoupServerMessage *msg,
             guint              status,
             const char        *content_type,
             GBytes            *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (body, NULL), g_bytes_get_size (body));
}

static void
reply_json (SoupServerMessage *msg,
            guint              status,
            JsonNode          *node)
{
  g_autofree char *text = sws_json_to_string (node, FALSE);
  gsize len = strlen (text);
  g_autoptr(GBytes) body = g_bytes_new_take (g_steal_pointer (&text), len);

  reply_bytes (msg, status, "application/json", body);
}

/* {"error": {"status": 404, "message": "…"}}: scripts read the status,
 * people the message. */
static void
reply_error (SoupServerMessage *msg,
             guint              status,
             const char        *message)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();
  JsonObject *error = json_object_new ();

  json_object_set_int_member (error, "status", status);
  json_object_set_string_member (error, "message", message);
  json_object_set_object_member (object, "error", error);
  json_node_take_object (node, object);
  reply_json (msg, status, node);
}

/* ---- access ------------------------------------------------------------- */

static gboolean
peer_is_loopback (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return G_IS_INET_SOCKET_ADDRESS (remote) &&
         g_inet_address_get_is_loopback (
           g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
}

/* Host names a DNS-rebinding page cannot have: address literals and
 * localhost (RFC 6761 §6.3 keeps it on loopback). */
static gboolean
host_is_local (SoupServerMessage *msg)
{
  const char *host = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Host");
  g_autofree char *name = NULL;
  g_autoptr(GInetAddress) addr = NULL;
  const char *end;

  if (host == NULL)
    return FALSE;
  if (host[0] == '[')
    {
      end = strchr (host, ']');
      if (end == NULL)
        return FALSE;
      name = g_strndup (host + 1, (gsize) (end - host - 1));
    }
  else
    {
      end = strchr (host, ':');
      name = end ? g_strndup (host, (gsize) (end - host)) : g_strdup (host);
    }
  if (g_ascii_strcasecmp (name, "localhost") == 0 ||
      g_str_has_suffix (name, ".localhost"))
    return TRUE;
  addr = g_inet_address_new_from_string (name);
  return addr != NULL;
}

/* Same time whatever the first difference, so the token cannot be
 * guessed one character at a time. */
static gboolean
token_equal (const char *given,
             const char *wanted)
{
  gsize given_len = strlen (given);
  gsize wanted_len = strlen (wanted);
  guint diff = given_len != wanted_len;

  for (gsize i = 0; i < wanted_len; i++)
    diff |= (guchar) (i < given_len ? given[i] : 0) ^ (guchar) wanted[i];
  return diff == 0;
}

static const char *
presented_token (SoupServerMessage *msg,
                 GHashTable        *query)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");

  if (auth != NULL && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0)
    return auth + 7;
  /* EventSource cannot set headers, and the page is opened by URL. */
  if (query != NULL)
    return g_hash_table_lookup (query, "access_token");
  return NULL;
}

/* TRUE when the request may go on; otherwise it has been answered. */
static gboolean
check_access (SwsHttpApi        *self,
              SoupServerMessage *msg,
              GHashTable        *query,
              AccessKind         kind)
{
  SwsConfig *config = sws_server_get_config (self->server);
  const char *wanted = sws_config_get_http_token (config);
  const char *given;

  if (kind == ACCESS_METRICS)
    {
      if (sws_config_get_http_public_metrics (config))
        return TRUE;
      if (sws_config_get_http_metrics_token (config) != NULL)
        wanted = sws_config_get_http_metrics_token (config);
    }

  if (sws_config_get_http_trust_loopback (config) && peer_is_loopback (msg))
    {
      if (host_is_local (msg))
        return TRUE;
      if (wanted == NULL)
        {
          reply_error (msg, SOUP_STATUS_FORBIDDEN,
                       "The Host header is neither localhost nor an address, so this "
                       "request may come from a web page that rebound its name to this "
                       "machine: open http://127.0.0.1:PORT/ or set [http] token");
          return FALSE;
        }
    }

  if (wanted == NULL)
    {
      reply_error (msg, SOUP_STATUS_FORBIDDEN,
                   "This address is not trusted and no access token is configured: "
                   "set [http] token in sipwsd.conf to use the API from here");
      return FALSE;
    }
  given = presented_token (msg, query);
  if (given == NULL || !token_equal (given, wanted))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate",
                                    given == NULL ? "Bearer realm=\"sipwsd\""
                                                  : "Bearer realm=\"sipwsd\", error=\"invalid_token\"");
      reply_error (msg, SOUP_STATUS_UNAUTHORIZED,
                   given == NULL ? "An access token is needed: send \"Authorization: Bearer TOKEN\""
                                 : "The access token is wrong");
      g_info ("HTTP request from %s refused: %s token", soup_server_message_get_remote_host (msg),
              given == NULL ? "no" : "wrong");
      return FALSE;
    }
  return TRUE;
}

/* ---- JSON endpoints ----------------------------------------------------- */

static JsonNode *
registration_json (gpointer object)
{
  SwsRegistration *reg = object;
  g_autofree char *path = sws_dbus_registration_path (reg);
  g_autoptr(GVariant) props = sws_dbus_registration_properties (reg);

  return sws_json_object_from_properties (path, props);
}

static JsonNode *
call_json (gpointer object)
{
  SwsCall *call = object;
  g_autofree char *path = sws_dbus_call_path (call);
  g_autoptr(GVariant) props = sws_dbus_call_properties (call);

  return sws_json_object_from_properties (path, props);
}

/* What the list endpoints need to know of the objects they serve. */
typedef struct
{
  guint64     (*get_id)  (gpointer object);
  JsonNode   *(*to_json) (gpointer object);
  const char   *not_found;
} ObjectKind;

static guint64
registration_id (gpointer object)
{
  return sws_registration_get_id (object);
}

static guint64
call_id (gpointer object)
{
  return sws_call_get_id (object);
}

static const ObjectKind registration_kind = {
  registration_id, registration_json,
  "No such registration (it may have expired)",
};

static const ObjectKind call_kind = {
  call_id, call_json,
  "No such call (ended calls are kept for call-linger)",
};

static gint
compare_ids (gconstpointer a,
             gconstpointer b,
             gpointer      user_data)
{
  const ObjectKind *kind = user_data;
  guint64 x = kind->get_id (*(gpointer *) a);
  guint64 y = kind->get_id (*(gpointer *) b);

  return x < y ? -1 : x > y;
}

/* "/api/v1/registrations/12" → 12; 0 for anything else. */
static guint64
parse_id (const char *text)
{
  guint64 id;

  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT64, &id, NULL))
    return 0;
  return id;
}

/* All of `all`, oldest first, or the one numbered `id_text` (404 when
 * there is none). */
static void
serve_objects (SoupServerMessage *msg,
               GPtrArray         *all,
               const ObjectKind  *kind,
               const char        *id_text)
{
  g_autoptr(JsonNode) node = NULL;
  guint64 id;

  if (id_text == NULL)
    {
      JsonArray *array = json_array_sized_new (all->len);

      g_ptr_array_sort_with_data (all, compare_ids, (gpointer) kind);
      for (guint i = 0; i < all->len; i++)
        json_array_add_element (array, kind->to_json (all->pdata[i]));
      node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, array);
      reply_json (msg, SOUP_STATUS_OK, node);
      return;
    }

  id = parse_id (id_text);
  for (guint i = 0; id != 0 && i < all->len; i++)
    if (kind->get_id (all->pdata[i]) == id)
      {
        node = kind->to_json (all->pdata[i]);
        reply_json (msg, SOUP_STATUS_OK, node);
        return;
      }
  reply_error (msg, SOUP_STATUS_NOT_FOUND, kind->not_found);
}

static void
serve_registrations (SwsHttpApi        *self,
                     SoupServerMessage *msg,
                     const char        *id_text)
{
  g_autoptr(GPtrArray) all = sws_registrar_list (sws_server_get_registrar (self->server));

  serve_objects (msg, all, &registration_kind, id_text);
}

static void
serve_calls (SwsHttpApi        *self,
             SoupServerMessage *msg,
             const char        *id_text)
{
  g_autoptr(GPtrArray) all = sws_proxy_list_calls (sws_server_get_proxy (self->server));

  serve_objects (msg, all, &call_kind, id_text);
}

static void
serve_status (SwsHttpApi        *self,
              SoupServerMessage *msg)
{
  g_autoptr(GVariant) props = sws_dbus_manager_properties (self->server);
  g_autoptr(JsonNode) node = sws_json_object_from_properties (ROOT_PATH, props);

  reply_json (msg, SOUP_STATUS_OK, node);
}

static void
serve_events (SwsHttpApi        *self,
              SoupServerMessage *msg)
{
  if (g_str_equal (soup_server_message_get_method (msg), "HEAD"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                             "text/event-stream", NULL);
      return;
    }
  if (!sws_http_events_add_stream (self->events, msg))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "10");
      reply_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "Too many event streams are open");
    }
}

static void
serve_api (SwsHttpApi        *self,
           SoupServerMessage *msg,
           const char        *rest)
{
  if (g_str_equal (rest, "status"))
    serve_status (self, msg);
  else if (g_str_equal (rest, "registrations"))
    serve_registrations (self, msg, NULL);
  else if (g_str_has_prefix (rest, "registrations/"))
    serve_registrations (self, msg, rest + strlen ("registrations/"));
  else if (g_str_equal (rest, "calls"))
    serve_calls (self, msg, NULL);
  else if (g_str_has_prefix (rest, "calls/"))
    serve_calls (self, msg, rest + strlen ("calls/"));
  else if (g_str_equal (rest, "events"))
    serve_events (self, msg);
  else
    reply_error (msg, SOUP_STATUS_NOT_FOUND,
                 "Unknown API path; see /api/v1/status, /api/v1/registrations, "
                 "/api/v1/calls and /api/v1/events");
}

/* ---- page and metrics --------------------------------------------------- */

static void
serve_static (SoupServerMessage *msg,
              const char        *name,
              const char        *content_type)
{
  g_autofree char *path = g_strconcat (RESOURCE_PREFIX "/", name, NULL);
  g_autoptr(GBytes) body = g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  if (body == NULL)
    {
      reply_error (msg, SOUP_STATUS_NOT_FOUND, "Not found");
      return;
    }
  /* Only our own files run in the page: no inline script, no third party. */
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'self'; img-src 'self' data:; "
                                "frame-ancestors 'none'; base-uri 'none'");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  reply_bytes (msg, SOUP_STATUS_OK, content_type, body);
}

static void
serve_metrics (SwsHttpApi        *self,
               SoupServerMessage *msg)
{
  g_autofree char *text = sws_http_metrics_render (self->server,
                                                   sws_http_events_get_count (self->events));
  gsize len = strlen (text);
  g_autoptr(GBytes) body = g_bytes_new_take (g_steal_pointer (&text), len);

  reply_bytes (msg, SOUP_STATUS_OK, "text/plain; version=0.0.4; charset=utf-8", body);
}

/* ---- routing ------------------------------------------------------------ */

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  SwsHttpApi *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  gboolean is_api = g_str_has_prefix (path, "/api/");
  gboolean is_metrics = g_str_equal (path, "/metrics");

  if (!g_str_equal (method, "GET") && !g_str_equal (method, "HEAD"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "GET, HEAD");
      reply_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
                   "Only GET and HEAD are served here (SIP goes over a WebSocket)");
      return;
    }

  if (!check_access (self, msg, query, is_metrics ? ACCESS_METRICS : ACCESS_API))
    return;

  if (is_metrics)
    serve_metrics (self, msg);
  else if (is_api && g_str_has_prefix (path, "/api/v1/"))
    serve_api (self, msg, path + strlen ("/api/v1/"));
  else if (is_api)
    reply_error (msg, SOUP_STATUS_NOT_FOUND, "Unknown API version; this server has /api/v1/");
  else if (g_str_equal (path, "/") || g_str_equal (path, "/index.html"))
    serve_static (msg, "index.html", "text/html; charset=utf-8");
  else if (g_str_equal (path, "/sipws.js"))
    serve_static (msg, "sipws.js", "text/javascript; charset=utf-8");
  else if (g_str_equal (path, "/sipws.css"))
    serve_static (msg, "sipws.css", "text/css; charset=utf-8");
  else if (g_str_equal (path, "/favicon.svg") || g_str_equal (path, "/favicon.ico"))
    serve_static (msg, "favicon.svg", "image/svg+xml");
  else
    reply_error (msg, SOUP_STATUS_NOT_FOUND, "Not found");
}

/* ---- object ------------------------------------------------------------- */

static void
sws_http_api_dispose (GObject *object)
{
  SwsHttpApi *self = SWS_HTTP_API (object);

  if (self->server != NULL)
    sws_transport_set_http_handler (sws_server_get_transport (self->server), NULL, NULL);
  g_clear_object (&self->events);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (sws_http_api_parent_class)->dispose (object);
}

static void
sws_http_api_class_init (SwsHttpApiClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sws_http_api_dispose;

  sws_web_register_resource ();
}

static void
sws_http_api_init (SwsHttpApi *self)
{
}

SwsHttpApi *
sws_http_api_new (SwsServer *server)
{
  SwsHttpApi *self = g_object_new (SWS_TYPE_HTTP_API, NULL);

  self->server = g_object_ref (server);
  self->events = sws_http_events_new (server);
  sws_transport_set_http_handler (sws_server_get_transport (server), on_request, self);
  return self;
}

guint
sws_http_api_get_event_stream_count (SwsHttpApi *self)
{
  g_return_val_if_fail (SWS_IS_HTTP_API (self), 0);

  return sws_http_events_get_count (self->events);
}

void
sws_http_api_stop (SwsHttpApi *self)
{
  g_return_if_fail (SWS_IS_HTTP_API (self));

  sws_http_events_close_all (self->events);
}
