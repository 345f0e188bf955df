/* sws-transport.c: the listening socket(s): WebSocket SIP flows and plain HTTP
 *
 * One SoupServer serves both. WebSocket upgrades are completed here rather
 * than by soup_server_add_websocket_handler() so that the RFC 7118 §4
 * subprotocol is enforced before the 101, the peer address is copied while
 * it is known, and no compression extension is ever negotiated.
 */

#define G_LOG_DOMAIN "sws-transport"

#include "config.h"

#include <sys/socket.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "sws-guard-stream.h"
#include "sws-transport.h"

struct _SwsTransport
{
  GObject parent_instance;

  SwsConfig *config;
  SoupServer *server;
  SwsMessageFunc func;
  gpointer func_data;
  SoupServerCallback http_callback;
  gpointer http_data;

  GStrv listen_uris;
  GHashTable *connections;   /* SwsConnection -> itself, owned */
  guint sweep_id;
  guint64 rejected;
  guint64 timed_out;
  gboolean stopping;
  GHashTable *per_ip;        /* remote IP -> number of flows (GUINT_TO_POINTER) */
  gint64 last_refusal_log;   /* monotonic µs: refusals are logged once a minute */
};

G_DEFINE_FINAL_TYPE (SwsTransport, sws_transport, G_TYPE_OBJECT)

enum {
  SIGNAL_CONNECTION_OPENED,
  SIGNAL_CONNECTION_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Set on a request whose peer did not finish it in time. */
#define TIMED_OUT_KEY "sws-request-timed-out"

typedef struct
{
  SwsTransport *self;
  char *ip;
  guint16 port;
} PendingUpgrade;

static void
pending_upgrade_free (gpointer data, GClosure *closure)
{
  PendingUpgrade *pending = data;

  g_object_unref (pending->self);
  g_free (pending->ip);
  g_free (pending);
}

static void
sws_transport_dispose (GObject *object)
{
  SwsTransport *self = SWS_TRANSPORT (object);

  g_clear_handle_id (&self->sweep_id, g_source_remove);
  if (self->server != NULL)
    soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_clear_pointer (&self->connections, g_hash_table_unref);
  g_clear_pointer (&self->per_ip, g_hash_table_unref);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (sws_transport_parent_class)->dispose (object);
}

static void
sws_transport_finalize (GObject *object)
{
  SwsTransport *self = SWS_TRANSPORT (object);

  g_strfreev (self->listen_uris);

  G_OBJECT_CLASS (sws_transport_parent_class)->finalize (object);
}

static void
sws_transport_class_init (SwsTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sws_transport_dispose;
  object_class->finalize = sws_transport_finalize;

  /**
   * SwsTransport::connection-opened:
   * @connection: the new flow
   */
  signals[SIGNAL_CONNECTION_OPENED] =
    g_signal_new ("connection-opened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SWS_TYPE_CONNECTION);
  /**
   * SwsTransport::connection-closed:
   * @connection: the flow, still alive during the emission
   */
  signals[SIGNAL_CONNECTION_CLOSED] =
    g_signal_new ("connection-closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SWS_TYPE_CONNECTION);
}

static void
sws_transport_init (SwsTransport *self)
{
  self->connections = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->per_ip = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* ---- flows -------------------------------------------------------------- */

static guint
per_ip_count (SwsTransport *self,
              const char   *ip)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->per_ip, ip));
}

static void
per_ip_add (SwsTransport *self,
            const char   *ip)
{
  g_hash_table_replace (self->per_ip, g_strdup (ip),
                        GUINT_TO_POINTER (per_ip_count (self, ip) + 1));
}

static void
per_ip_release (SwsTransport *self,
                const char   *ip)
{
  guint n = per_ip_count (self, ip);

  if (n <= 1)
    g_hash_table_remove (self->per_ip, ip);
  else
    g_hash_table_replace (self->per_ip, g_strdup (ip), GUINT_TO_POINTER (n - 1));
}

static void
on_connection_closed (SwsConnection *conn,
                      gpointer       user_data)
{
  SwsTransport *self = user_data;

  g_signal_handlers_disconnect_by_data (conn, self);
  g_info ("flow %" G_GUINT64_FORMAT " from %s closed", sws_connection_get_id (conn),
          sws_connection_get_remote_address (conn));
  g_object_ref (conn);
  if (g_hash_table_remove (self->connections, conn))
    per_ip_release (self, sws_connection_get_remote_ip (conn));
  g_signal_emit (self, signals[SIGNAL_CONNECTION_CLOSED], 0, conn);
  g_object_unref (conn);
}

static void
on_upgrade_written (SoupServerMessage *msg,
                    gpointer           user_data)
{
  PendingUpgrade *pending = user_data;
  SwsTransport *self = pending->self;
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  g_autoptr(GIOStream) base = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(SoupWebsocketConnection) websocket = NULL;
  SwsConnection *conn;

  if (soup_server_message_get_status (msg) != SOUP_STATUS_SWITCHING_PROTOCOLS)
    return;

  base = soup_server_message_steal_connection (msg);
  stream = sws_guard_stream_new (base, SWS_WS_MAX_PENDING);
  websocket = soup_websocket_connection_new (stream, soup_server_message_get_uri (msg),
                                             SOUP_WEBSOCKET_CONNECTION_SERVER,
                                             soup_message_headers_get_one (req, "Origin"),
                                             "sip", NULL);
  if (self->stopping)
    {
      soup_websocket_connection_close (websocket, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      return;
    }

  conn = sws_ws_connection_new (websocket, pending->ip, pending->port,
                                g_strcmp0 (g_uri_get_scheme (soup_server_message_get_uri (msg)),
                                           "https") == 0,
                                sws_config_get_keepalive_interval (self->config),
                                self->func, self->func_data);
  g_hash_table_add (self->connections, conn);
  per_ip_add (self, pending->ip);
  g_signal_connect (conn, "closed", G_CALLBACK (on_connection_closed), self);
  g_info ("flow %" G_GUINT64_FORMAT " from %s opened", sws_connection_get_id (conn),
          sws_connection_get_remote_address (conn));
  g_signal_emit (self, signals[SIGNAL_CONNECTION_OPENED], 0, conn);
}

static gboolean
offers_sip (SoupMessageHeaders *req)
{
  const char *offered = soup_message_headers_get_list (req, "Sec-WebSocket-Protocol");
  g_autoptr(GSList) tokens = NULL;
  gboolean found = FALSE;

  if (offered == NULL)
    return FALSE;
  tokens = soup_header_parse_list (offered);
  for (GSList *l = tokens; l != NULL; l = l->next)
    if (g_str_equal (l->data, "sip"))
      found = TRUE;
  soup_header_free_list (g_steal_pointer (&tokens));
  return found;
}

static void
refuse (SoupServerMessage *msg,
        guint              status,
        const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

/* Refusals are news for an operator, a flood of them is not: one line a
 * minute, the counter has the rest. */
static void G_GNUC_PRINTF (2, 3)
log_refusal (SwsTransport *self,
             const char   *format,
             ...)
{
  gint64 now = g_get_monotonic_time ();
  g_autofree char *text = NULL;
  va_list args;

  if (self->last_refusal_log != 0 && now - self->last_refusal_log < 60 * G_USEC_PER_SEC)
    return;
  self->last_refusal_log = now;
  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_message ("%s (further refusals this minute are only counted)", text);
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) addr = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0 || g_str_has_suffix (host, ".localhost"))
    return TRUE;
  addr = g_inet_address_new_from_string (host);
  return addr != NULL && g_inet_address_get_is_loopback (addr);
}

/* Cross-site WebSocket hijacking: any web page may open a WebSocket to
 * 127.0.0.1, and browsers send its Origin (RFC 6455 §4.2.1, §10.2). With
 * no allowed-origins configured, only pages of this machine, of the
 * server's own addresses and of its domains may; clients that are not
 * browsers send no Origin and are not concerned. "null" (sandboxed or
 * file: pages) is refused: any site can produce it. With [auth] and no
 * list, every origin may. */
static gboolean
origin_allowed (SwsTransport       *self,
                SoupMessageHeaders *req)
{
  const char *origin = soup_message_headers_get_one (req, "Origin");
  const char * const *allowed = sws_config_get_allowed_origins (self->config);
  const char * const *listen;
  const char * const *domains;
  g_autoptr(GUri) uri = NULL;
  const char *host;

  if (origin == NULL)
    return TRUE;
  /* With Digest authentication a page gets nowhere without a password,
   * wherever it comes from: web softphones are served from anywhere. */
  if (allowed == NULL && sws_config_get_users_file (self->config) != NULL)
    return TRUE;
  if (allowed != NULL)
    {
      for (guint i = 0; allowed[i] != NULL; i++)
        if (g_str_equal (allowed[i], "*") || g_ascii_strcasecmp (allowed[i], origin) == 0)
          return TRUE;
      return FALSE;
    }

  uri = g_uri_parse (origin, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || (host = g_uri_get_host (uri)) == NULL || *host == '\0')
    return FALSE;
  if (host_is_loopback (host))
    return TRUE;
  listen = (const char * const *) self->listen_uris;
  for (guint i = 0; listen != NULL && listen[i] != NULL; i++)
    {
      g_autoptr(GUri) own = g_uri_parse (listen[i], G_URI_FLAGS_NONE, NULL);

      if (own != NULL && g_ascii_strcasecmp (g_uri_get_host (own), host) == 0)
        return TRUE;
    }
  domains = sws_config_get_domains (self->config);
  for (guint i = 0; domains != NULL && domains[i] != NULL; i++)
    if (g_ascii_strcasecmp (domains[i], host) == 0)
      return TRUE;
  return FALSE;
}

static void
handle_upgrade (SwsTransport      *self,
                SoupServerMessage *msg)
{
  static char *protocols[] = { (char *) "sip", NULL };
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  PendingUpgrade *pending;
  g_autofree char *ip = NULL;
  guint16 port = 0;

  if (G_IS_INET_SOCKET_ADDRESS (remote))
    {
      GInetSocketAddress *inet = G_INET_SOCKET_ADDRESS (remote);

      ip = g_inet_address_to_string (g_inet_socket_address_get_address (inet));
      port = g_inet_socket_address_get_port (inet);
    }
  else
    ip = g_strdup ("");

  if (self->stopping)
    {
      refuse (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "sipwsd is shutting down\n");
      return;
    }
  if (!offers_sip (req))
    {
      self->rejected++;
      g_debug ("%s: WebSocket handshake without the sip subprotocol refused", ip);
      refuse (msg, SOUP_STATUS_BAD_REQUEST,
              "This server speaks SIP over WebSocket (RFC 7118): "
              "offer the \"sip\" subprotocol (Sec-WebSocket-Protocol: sip)\n");
      return;
    }
  if (!origin_allowed (self, req))
    {
      self->rejected++;
      log_refusal (self, "WebSocket from %s refused: a page of %s may not use this server "
                   "([server] allowed-origins)", ip, soup_message_headers_get_one (req, "Origin"));
      refuse (msg, SOUP_STATUS_FORBIDDEN,
              "This origin may not open SIP WebSockets here; the server's "
              "[server] allowed-origins setting lists those that may\n");
      return;
    }
  if (g_hash_table_size (self->connections) >= sws_config_get_max_connections (self->config))
    {
      self->rejected++;
      log_refusal (self, "WebSocket from %s refused: %u connections, the limit "
                   "([server] max-connections)", ip, g_hash_table_size (self->connections));
      refuse (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "Too many connections\n");
      return;
    }
  if (sws_config_get_max_connections_per_ip (self->config) > 0 &&
      per_ip_count (self, ip) >= sws_config_get_max_connections_per_ip (self->config))
    {
      self->rejected++;
      log_refusal (self, "WebSocket from %s refused: it has %u connections, the limit "
                   "([server] max-connections-per-ip)", ip, per_ip_count (self, ip));
      refuse (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "Too many connections from your address\n");
      return;
    }

  /* Sets the 101 with "Sec-WebSocket-Protocol: sip", or a 400 of its own
   * for a broken handshake. No extensions: SIP messages are small and
   * permessage-deflate would cost CPU and memory on every flow. */
  if (!soup_websocket_server_process_handshake (msg, NULL, protocols, NULL, NULL))
    {
      self->rejected++;
      return;
    }

  pending = g_new0 (PendingUpgrade, 1);
  pending->self = g_object_ref (self);
  pending->ip = g_steal_pointer (&ip);
  pending->port = port;
  g_signal_connect_data (msg, "wrote-informational", G_CALLBACK (on_upgrade_written),
                         pending, pending_upgrade_free, 0);
}

static gboolean
is_upgrade (SoupMessageHeaders *req)
{
  return soup_message_headers_header_contains (req, "Upgrade", "websocket") ||
         soup_message_headers_get_one (req, "Sec-WebSocket-Key") != NULL;
}

static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  SwsTransport *self = user_data;
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);

  if (g_object_get_data (G_OBJECT (msg), TIMED_OUT_KEY) != NULL)
    {
      refuse (msg, SOUP_STATUS_REQUEST_TIMEOUT, "Request timeout\n");
      return;
    }

  if (is_upgrade (req))
    {
      handle_upgrade (self, msg);
      return;
    }

  if (self->http_callback != NULL)
    {
      self->http_callback (server, msg, path, query, self->http_data);
      return;
    }

  if (g_str_equal (path, "/") && g_str_equal (soup_server_message_get_method (msg), "GET"))
    refuse (msg, SOUP_STATUS_OK,
            "sipwsd " PACKAGE_VERSION ": SIP over WebSocket (RFC 7118). "
            "Connect a WebSocket with the \"sip\" subprotocol to this address.\n");
  else
    refuse (msg, SOUP_STATUS_NOT_FOUND, "Not found\n");
}

/* ---- requests that never come ------------------------------------------ */

/* libsoup 3.2 has no timeout of its own: a peer that connects and sends
 * nothing, or half a request (slowloris), would keep a descriptor for
 * ever. From the accept (or the end of the previous response) to a whole
 * request it has handshake-timeout seconds; then its socket is shut
 * down, which makes libsoup drop the connection. */
#define DEADLINE_KEY "sws-request-deadline"
#define SERVED_KEY "sws-served"

typedef struct
{
  SwsTransport *self;
  SoupServerMessage *msg;   /* unowned: the deadline dies with it */
  guint source_id;
} Deadline;

static void
deadline_free (gpointer data)
{
  Deadline *deadline = data;

  g_clear_handle_id (&deadline->source_id, g_source_remove);
  g_free (deadline);
}

static gboolean
peer_hung_up (GSocket *socket)
{
  char byte;

  return recv (g_socket_get_fd (socket), &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0;
}

static gboolean
on_deadline (gpointer user_data)
{
  Deadline *deadline = user_data;
  GSocket *socket = soup_server_message_get_socket (deadline->msg);

  deadline->source_id = 0;
  if (socket == NULL || g_socket_is_closed (socket))
    return G_SOURCE_REMOVE;
  /* A peer that already hung up (a port probe) is not stalling anyone,
   * and one that was served before is an idle kept-alive connection
   * (a browser's): both are closed without a word. */
  if (peer_hung_up (socket) || g_object_get_data (G_OBJECT (socket), SERVED_KEY) != NULL)
    {
      g_socket_shutdown (socket, TRUE, TRUE, NULL);
      return G_SOURCE_REMOVE;
    }
  deadline->self->timed_out++;
  /* libsoup may still take the half request it has for a whole one when
   * it reads the end of the stream: it must not be served. */
  g_object_set_data (G_OBJECT (deadline->msg), TIMED_OUT_KEY, GINT_TO_POINTER (TRUE));
  log_refusal (deadline->self, "%s sent no whole request within %u s; closing its connection "
               "([server] handshake-timeout)",
               soup_server_message_get_remote_host (deadline->msg)
                 ? soup_server_message_get_remote_host (deadline->msg) : "a peer",
               sws_config_get_handshake_timeout (deadline->self->config));
  g_socket_shutdown (socket, TRUE, TRUE, NULL);
  return G_SOURCE_REMOVE;
}

static void
on_request_started (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  SwsTransport *self = user_data;
  Deadline *deadline = g_new0 (Deadline, 1);

  deadline->self = self;
  deadline->msg = msg;
  deadline->source_id = g_timeout_add_seconds (sws_config_get_handshake_timeout (self->config),
                                               on_deadline, deadline);
  g_object_set_data_full (G_OBJECT (msg), DEADLINE_KEY, deadline, deadline_free);
}

static void
on_request_read (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  g_object_set_data (G_OBJECT (msg), DEADLINE_KEY, NULL);
  if (socket != NULL)
    g_object_set_data (G_OBJECT (socket), SERVED_KEY, GINT_TO_POINTER (TRUE));
}

/* ---- dead peers --------------------------------------------------------- */

static gboolean
on_sweep (gpointer user_data)
{
  SwsTransport *self = user_data;
  guint interval = sws_config_get_keepalive_interval (self->config);
  /* Silent for three intervals: two pings went unanswered, and the sweep
   * itself runs once per interval. */
  gint64 limit = g_get_monotonic_time () - (gint64) (3 * interval) * G_USEC_PER_SEC;
  g_autoptr(GPtrArray) dead = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  SwsConnection *conn;

  /* keepalive-interval=0 after a reload: pings are off, nobody is dead. */
  if (interval == 0)
    return G_SOURCE_CONTINUE;

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, (gpointer *) &conn, NULL))
    if (sws_connection_get_last_activity (conn) < limit)
      g_ptr_array_add (dead, g_object_ref (conn));

  for (guint i = 0; i < dead->len; i++)
    {
      conn = dead->pdata[i];
      g_message ("flow %" G_GUINT64_FORMAT " from %s stopped answering pings; closing it",
                 sws_connection_get_id (conn), sws_connection_get_remote_address (conn));
      sws_connection_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "keepalive timeout");
    }
  return G_SOURCE_CONTINUE;
}

/* ---- public ------------------------------------------------------------- */

SwsTransport *
sws_transport_new (SwsConfig      *config,
                   SwsMessageFunc  func,
                   gpointer        user_data)
{
  SwsTransport *self = g_object_new (SWS_TYPE_TRANSPORT, NULL);

  self->config = g_object_ref (config);
  self->func = func;
  self->func_data = user_data;
  return self;
}

static char *
format_uri (const char         *scheme,
            GInetSocketAddress *addr)
{
  g_autofree char *ip = g_inet_address_to_string (g_inet_socket_address_get_address (addr));
  guint16 port = g_inet_socket_address_get_port (addr);

  if (strchr (ip, ':') != NULL)
    return g_strdup_printf ("%s://[%s]:%u", scheme, ip, port);
  return g_strdup_printf ("%s://%s:%u", scheme, ip, port);
}

static gboolean
listen_one (SwsTransport  *self,
            const char    *uri,
            GPtrArray     *actual,
            GError       **error)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, error);
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) addr = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GResolver) resolver = NULL;
  g_autoptr(GSocket) socket = NULL;
  const char *host;
  gboolean tls;
  int port;

  if (parsed == NULL)
    return FALSE;
  tls = g_strcmp0 (g_uri_get_scheme (parsed), "wss") == 0;
  host = g_uri_get_host (parsed);
  port = g_uri_get_port (parsed);

  inet = g_inet_address_new_from_string (host);
  if (inet == NULL)
    {
      GList *list;

      /* "localhost" and the like: the first address only. */
      resolver = g_resolver_get_default ();
      list = g_resolver_lookup_by_name (resolver, host, NULL, &local_error);
      if (list == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("Cannot listen on %s: %s"), uri, local_error->message);
          return FALSE;
        }
      inet = g_object_ref (list->data);
      g_resolver_free_addresses (list);
    }

  addr = g_inet_socket_address_new (inet, (guint16) port);
  /* Our own socket, for its backlog: libsoup listens with 10, and a burst
   * of browsers reconnecting after a restart would overflow it. */
  socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, &local_error);
  if (socket != NULL)
    {
      g_socket_set_listen_backlog (socket, SOMAXCONN);
      if (!g_socket_bind (socket, addr, TRUE, &local_error) ||
          !g_socket_listen (socket, &local_error) ||
          !soup_server_listen_socket (self->server, socket,
                                      tls ? SOUP_SERVER_LISTEN_HTTPS : 0, &local_error))
        g_clear_object (&socket);
    }
  if (socket == NULL)
    {
      g_set_error (error, local_error->domain, local_error->code,
                   _("Cannot listen on %s: %s"), uri, local_error->message);
      return FALSE;
    }

  /* Report the bound address (with the real port when 0 was asked). */
  {
    g_autoptr(GSocketAddress) local = g_socket_get_local_address (socket, NULL);

    if (G_IS_INET_SOCKET_ADDRESS (local))
      g_ptr_array_add (actual, format_uri (tls ? "wss" : "ws", G_INET_SOCKET_ADDRESS (local)));
  }
  return TRUE;
}

static gboolean
uses_tls (SwsTransport *self)
{
  const char * const *listen = sws_config_get_listen (self->config);

  for (guint i = 0; listen[i] != NULL; i++)
    if (g_str_has_prefix (listen[i], "wss:"))
      return TRUE;
  return FALSE;
}

/* The certificate and key of wss:// listeners (RFC 7118 §3), read again
 * on reload so that a renewed certificate serves new connections. */
static gboolean
load_certificate (SwsTransport  *self,
                  GError       **error)
{
  const char *cert_file = sws_config_get_tls_certificate (self->config);
  const char *key_file = sws_config_get_tls_key (self->config);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("wss:// needs TLS support in GLib: install glib-networking"));
      return FALSE;
    }
  certificate = g_tls_certificate_new_from_files (cert_file, key_file, &local_error);
  if (certificate == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Cannot use the TLS certificate %s with the key %s: %s"),
                   cert_file, key_file, local_error->message);
      return FALSE;
    }
  soup_server_set_tls_certificate (self->server, certificate);
  return TRUE;
}

void
sws_transport_reload_certificate (SwsTransport *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SWS_IS_TRANSPORT (self));

  if (self->server == NULL || !uses_tls (self))
    return;
  if (!load_certificate (self, &error))
    g_warning ("%s; the certificate in use stays", error->message);
  else
    g_message ("TLS certificate reloaded from %s", sws_config_get_tls_certificate (self->config));
}

gboolean
sws_transport_start (SwsTransport  *self,
                     GError       **error)
{
  const char * const *listen = sws_config_get_listen (self->config);
  g_autoptr(GPtrArray) actual = g_ptr_array_new_with_free_func (g_free);
  guint interval;

  g_return_val_if_fail (SWS_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  self->server = soup_server_new ("server-header", "sipws/" PACKAGE_VERSION, NULL);
  soup_server_add_handler (self->server, NULL, on_request, self, NULL);
  g_signal_connect (self->server, "request-started", G_CALLBACK (on_request_started), self);
  g_signal_connect (self->server, "request-read", G_CALLBACK (on_request_read), self);
  if (uses_tls (self) && !load_certificate (self, error))
    {
      g_clear_object (&self->server);
      return FALSE;
    }

  for (guint i = 0; listen[i] != NULL; i++)
    if (!listen_one (self, listen[i], actual, error))
      {
        soup_server_disconnect (self->server);
        g_clear_object (&self->server);
        return FALSE;
      }

  g_ptr_array_add (actual, NULL);
  g_strfreev (self->listen_uris);
  self->listen_uris = (GStrv) g_ptr_array_free (g_steal_pointer (&actual), FALSE);

  interval = sws_config_get_keepalive_interval (self->config);
  if (interval > 0)
    self->sweep_id = g_timeout_add_seconds (interval, on_sweep, self);
  return TRUE;
}

void
sws_transport_stop (SwsTransport *self)
{
  g_autoptr(GPtrArray) all = NULL;
  GHashTableIter iter;
  gpointer conn;

  g_return_if_fail (SWS_IS_TRANSPORT (self));

  self->stopping = TRUE;
  g_clear_handle_id (&self->sweep_id, g_source_remove);
  all = g_ptr_array_new_with_free_func (g_object_unref);
  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, &conn, NULL))
    g_ptr_array_add (all, g_object_ref (conn));
  for (guint i = 0; i < all->len; i++)
    sws_connection_close (all->pdata[i], SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "server shutting down");
}

const char * const *
sws_transport_get_listen_uris (SwsTransport *self)
{
  return (const char * const *) self->listen_uris;
}

guint
sws_transport_get_connection_count (SwsTransport *self)
{
  return g_hash_table_size (self->connections);
}

guint64
sws_transport_get_rejected_count (SwsTransport *self)
{
  return self->rejected + self->timed_out;
}

SoupServer *
sws_transport_get_soup_server (SwsTransport *self)
{
  return self->server;
}

void
sws_transport_set_http_handler (SwsTransport       *self,
                                SoupServerCallback  callback,
                                gpointer            user_data)
{
  self->http_callback = callback;
  self->http_data = user_data;
}
