/* sws-server.c: the SIP element: receives messages from flows and decides
 *
 * Every SIP message of every flow comes through sws_server_handle_message():
 * parse, answer what is broken with the status RFC 3261 gives for it, and
 * hand the rest to the registrar (and later the proxy). The server also
 * owns the single timer heap and the main-loop source that drives it.
 */

#define G_LOG_DOMAIN "sws-server"

#include "config.h"

#include "sip/sws-sip-writer.h"
#include "sws-auth.h"
#include "sws-proxy.h"
#include "sws-rate-limiter.h"
#include "sws-server.h"

struct _SwsServer
{
  GObject parent_instance;

  SwsConfig *config;
  SwsTransport *transport;
  SwsRegistrar *registrar;
  SwsProxy *proxy;
  SwsAuth *auth;
  SwsTimerHeap *timers;
  GSource *timer_source;

  gint64 start_time;
  guint64 received;
  guint64 sent;
  guint64 parse_errors;
  SwsSipStats received_stats;
  SwsSipStats sent_stats;

  SwsRateLimiter *limiter;
  guint prune_at;              /* limiter size that triggers a prune */
  guint64 rate_limited;
};

G_DEFINE_FINAL_TYPE (SwsServer, sws_server, G_TYPE_OBJECT)

/* ---- the timer source --------------------------------------------------- */

typedef struct
{
  GSource source;
  SwsTimerHeap *heap;
} TimerSource;

static gboolean
timer_source_prepare (GSource *source,
                      gint    *timeout)
{
  TimerSource *ts = (TimerSource *) source;
  gint64 next = sws_timer_heap_next (ts->heap);
  gint64 now;

  if (next == G_MAXINT64)
    {
      *timeout = -1;
      return FALSE;
    }
  now = g_source_get_time (source);
  if (next <= now)
    {
      *timeout = 0;
      return TRUE;
    }
  /* Round up so that we never wake just before the deadline. */
  *timeout = (gint) MIN ((next - now + 999) / 1000, (gint64) G_MAXINT);
  return FALSE;
}

static gboolean
timer_source_check (GSource *source)
{
  TimerSource *ts = (TimerSource *) source;

  return sws_timer_heap_next (ts->heap) <= g_source_get_time (source);
}

static gboolean
timer_source_dispatch (GSource     *source,
                       GSourceFunc  callback,
                       gpointer     user_data)
{
  TimerSource *ts = (TimerSource *) source;

  sws_timer_heap_run (ts->heap, g_get_monotonic_time ());
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs timer_source_funcs = {
  timer_source_prepare,
  timer_source_check,
  timer_source_dispatch,
  NULL, NULL, NULL,
};

/* ---- object ------------------------------------------------------------- */

static void
sws_server_dispose (GObject *object)
{
  SwsServer *self = SWS_SERVER (object);

  if (self->transport != NULL)
    g_signal_handlers_disconnect_by_data (self->transport, self);
  g_clear_object (&self->transport);
  /* Bindings and transactions unschedule their timers as they go: the
   * heap must outlive the proxy and the registrar. */
  g_clear_object (&self->proxy);
  g_clear_object (&self->registrar);
  g_clear_object (&self->auth);
  if (self->timer_source != NULL)
    {
      g_source_destroy (self->timer_source);
      g_clear_pointer (&self->timer_source, g_source_unref);
    }
  g_clear_pointer (&self->timers, sws_timer_heap_free);
  g_clear_pointer (&self->limiter, sws_rate_limiter_free);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (sws_server_parent_class)->dispose (object);
}

static void
sws_server_class_init (SwsServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sws_server_dispose;
}

static void
sws_server_init (SwsServer *self)
{
  self->start_time = g_get_real_time ();
  self->prune_at = 1024;
}

static void on_transport_message (SwsConnection *connection,
                                  GBytes        *message,
                                  gpointer       user_data);

static void
on_connection_opened (SwsTransport  *transport,
                      SwsConnection *connection,
                      gpointer       user_data)
{
  SwsServer *self = user_data;

  sws_proxy_connection_opened (self->proxy, connection);
}

static void
on_connection_closed (SwsTransport  *transport,
                      SwsConnection *connection,
                      gpointer       user_data)
{
  SwsServer *self = user_data;

  /* Calls first: their BYEs name the bindings that are about to go. */
  sws_proxy_connection_closed (self->proxy, connection);
  sws_registrar_connection_closed (self->registrar, connection);
}

SwsServer *
sws_server_new (SwsConfig *config)
{
  SwsServer *self = g_object_new (SWS_TYPE_SERVER, NULL);
  TimerSource *ts;

  self->config = g_object_ref (config);
  self->timers = sws_timer_heap_new ();
  self->registrar = sws_registrar_new (config, self->timers);
  self->proxy = sws_proxy_new (config, self->registrar, self->timers);
  self->auth = sws_auth_new (self->timers);
  self->transport = sws_transport_new (config, on_transport_message, self);
  g_signal_connect (self->transport, "connection-opened",
                    G_CALLBACK (on_connection_opened), self);
  g_signal_connect (self->transport, "connection-closed",
                    G_CALLBACK (on_connection_closed), self);

  self->timer_source = g_source_new (&timer_source_funcs, sizeof (TimerSource));
  ts = (TimerSource *) self->timer_source;
  ts->heap = self->timers;
  g_source_set_static_name (self->timer_source, "sws timers");
  g_source_attach (self->timer_source, NULL);

  return self;
}

/* ---- sending ------------------------------------------------------------ */

static void
send_bytes (SwsServer     *self,
            SwsConnection *connection,
            GBytes        *bytes)
{
  if (sws_connection_send (connection, bytes))
    {
      gsize len;
      const char *data = g_bytes_get_data (bytes, &len);

      self->sent++;
      sws_sip_stats_count_bytes (&self->sent_stats, data, len);
    }
  else
    g_debug ("flow %" G_GUINT64_FORMAT ": cannot send, flow is closing",
             sws_connection_get_id (connection));
}

static void
send_reply (SwsServer     *self,
            SwsConnection *connection,
            SwsSipMessage *request,
            guint          status,
            const char    *reason,
            const char    *extra_headers)
{
  g_autoptr(GBytes) bytes = sws_sip_response_simple (request, status, reason, extra_headers);

  send_bytes (self, connection, bytes);
}

/* ---- requests ----------------------------------------------------------- */

/* Option tags this server implements; none yet (RFC 3261 §8.2.2.3). */
static gboolean
tag_supported (SwsStr tag)
{
  return FALSE;
}

/* Collect the option tags of Require/Proxy-Require we do not support into
 * an "Unsupported:" header line (left empty when all are supported). */
static void
unsupported_tags (SwsSipMessage *request,
                  SwsHeaderId    id,
                  GString       *line)
{
  SwsValueIter iter;
  SwsStr tag;

  sws_value_iter_init (&iter, request, id);
  while (sws_value_iter_next (&iter, &tag))
    {
      if (tag.len == 0 || tag_supported (tag))
        continue;
      if (line->len == 0)
        g_string_append (line, "Unsupported: ");
      else
        g_string_append (line, ", ");
      g_string_append_len (line, tag.p, (gssize) tag.len);
    }
}

static gboolean
is_for_server (SwsSipMessage *request)
{
  /* REGISTER is ours (§10). A request without a Route whose Request-URI
   * names no user names a host: us (§11 for OPTIONS). Everything else is
   * for a user and goes through the proxy. */
  if (request->method == SWS_METHOD_REGISTER)
    return TRUE;
  if (request->method == SWS_METHOD_ACK || request->method == SWS_METHOD_CANCEL)
    return FALSE;
  return !SWS_STR_IS_SET (request->request_uri.user) &&
         sws_sip_message_find (request, SWS_HDR_ROUTE) == NULL;
}

static void
handle_options (SwsServer     *self,
                SwsConnection *connection,
                SwsSipMessage *request)
{
  send_reply (self, connection, request, 200, "OK",
              "Allow: " SWS_ALLOWED_METHODS "\r\n"
              "Accept: application/sdp, text/plain, message/cpim\r\n"
              "Accept-Encoding: identity\r\n"
              "Accept-Language: en\r\n"
              "Supported: path, outbound\r\n");
}

/* With [auth], a request goes on only with the credentials of the user
 * it claims to come from; otherwise it is answered here (401, 407, 403). */
static gboolean
authorize (SwsServer     *self,
           SwsConnection *connection,
           SwsSipMessage *request)
{
  g_autoptr(GBytes) response = NULL;
  gboolean uas = is_for_server (request);

  /* §22.1: ACK and CANCEL cannot be resubmitted with credentials. A
   * request that follows the signed Record-Route of a dialog belongs to
   * a dialog whose INVITE was authorized. */
  if (!sws_auth_is_enabled (self->auth) ||
      request->method == SWS_METHOD_ACK || request->method == SWS_METHOD_CANCEL ||
      (!uas && sws_proxy_is_dialog_route (self->proxy, connection, request)))
    return TRUE;
  if (sws_auth_check (self->auth, request, uas ? SWS_AUTH_ROLE_UAS : SWS_AUTH_ROLE_PROXY,
                      NULL, &response))
    return TRUE;
  send_bytes (self, connection, response);
  return FALSE;
}

static void
handle_request (SwsServer     *self,
                SwsConnection *connection,
                SwsSipMessage *request)
{
  g_autoptr(GString) unsupported = NULL;
  g_autoptr(GBytes) response = NULL;

  /* ACKs are never answered (§17.1.1.3); the proxy absorbs or forwards. */
  if (request->method == SWS_METHOD_ACK)
    {
      sws_proxy_handle_request (self->proxy, connection, request);
      return;
    }

  /* RFC 3261 §8.2.2.1, §16.3 step 2; RFC 4475 §3.3.2 */
  if (request->request_uri.scheme != SWS_URI_SCHEME_SIP &&
      request->request_uri.scheme != SWS_URI_SCHEME_SIPS)
    {
      send_reply (self, connection, request, 416, "Unsupported URI Scheme", NULL);
      return;
    }

  /* §16.3 step 5 and §8.2.2.3; CANCEL must not be refused for them. */
  if (request->method != SWS_METHOD_CANCEL)
    {
      unsupported = g_string_new (NULL);
      unsupported_tags (request, SWS_HDR_PROXY_REQUIRE, unsupported);
      if (is_for_server (request))
        unsupported_tags (request, SWS_HDR_REQUIRE, unsupported);
      if (unsupported->len > 0)
        {
          g_string_append (unsupported, "\r\n");
          send_reply (self, connection, request, 420, "Bad Extension", unsupported->str);
          return;
        }
    }

  if (request->method == SWS_METHOD_UNKNOWN)
    {
      send_reply (self, connection, request, 501, "Not Implemented",
                  "Allow: " SWS_ALLOWED_METHODS "\r\n");
      return;
    }

  if (!authorize (self, connection, request))
    return;

  if (is_for_server (request))
    {
      switch (request->method)
        {
        case SWS_METHOD_REGISTER:
          response = sws_registrar_handle_register (self->registrar, request, connection);
          send_bytes (self, connection, response);
          return;
        case SWS_METHOD_OPTIONS:
          handle_options (self, connection, request);
          return;
        default:
          send_reply (self, connection, request, 405, "Method Not Allowed",
                      "Allow: REGISTER, OPTIONS\r\n");
          return;
        }
    }

  /* §16.3 step 3 */
  if (request->max_forwards == 0)
    {
      send_reply (self, connection, request, 483, "Too Many Hops", NULL);
      return;
    }

  sws_proxy_handle_request (self->proxy, connection, request);
}

/* RFC 5626 §3.5.1: a double CRLF is a keepalive ping, answered with one
 * CRLF; other whitespace-only messages are ignored. */
static gboolean
handle_keepalive (SwsServer     *self,
                  SwsConnection *connection,
                  GBytes        *message)
{
  gsize len;
  const char *data = g_bytes_get_data (message, &len);

  for (gsize i = 0; i < len; i++)
    if (data[i] != '\r' && data[i] != '\n' && data[i] != ' ' && data[i] != '\t')
      return FALSE;

  if (len == 4 && memcmp (data, "\r\n\r\n", 4) == 0)
    {
      g_autoptr(GBytes) pong = g_bytes_new_static ("\r\n", 2);

      send_bytes (self, connection, pong);
    }
  return TRUE;
}

/* Loopback peers are the desktop's own clients and tools (and the
 * benchmark): exempt unless configured otherwise. */
static gboolean
ip_is_loopback (const char *ip)
{
  return g_str_has_prefix (ip, "127.") || g_str_equal (ip, "::1") ||
         g_str_has_prefix (ip, "::ffff:127.");
}

/* Per-address token bucket: over the limit, a request gets 503 with
 * Retry-After (RFC 3261 §21.5.4) and goes no further; an ACK cannot be
 * answered and is dropped. */
static gboolean
check_rate (SwsServer     *self,
            SwsConnection *connection,
            SwsSipMessage *request)
{
  SwsConfig *config = self->config;
  const char *ip = sws_connection_get_remote_ip (connection);
  gint64 now;
  guint retry_after = 1;
  gboolean first = FALSE;
  char header[48];

  if (sws_config_get_rate_limit (config) == 0 ||
      (!sws_config_get_rate_limit_loopback (config) && ip_is_loopback (ip)))
    return TRUE;

  now = g_get_monotonic_time ();
  if (self->limiter == NULL)
    self->limiter = sws_rate_limiter_new (sws_config_get_rate_limit (config),
                                          sws_config_get_rate_limit_burst (config));
  if (sws_rate_limiter_get_size (self->limiter) >= self->prune_at)
    {
      sws_rate_limiter_prune (self->limiter, now);
      self->prune_at = MAX (1024, 2 * sws_rate_limiter_get_size (self->limiter));
    }
  if (sws_rate_limiter_take (self->limiter, ip, now, &retry_after, &first))
    return TRUE;

  self->rate_limited++;
  if (first)
    g_message ("%s sends more than %u SIP requests a second (burst %u): answering 503 "
               "until it slows down ([server] rate-limit)", ip,
               sws_config_get_rate_limit (config), sws_config_get_rate_limit_burst (config));
  if (request->method != SWS_METHOD_ACK)
    {
      g_snprintf (header, sizeof header, "Retry-After: %u\r\n", retry_after);
      send_reply (self, connection, request, 503, "Service Unavailable", header);
    }
  return FALSE;
}

void
sws_server_handle_message (SwsServer     *self,
                           SwsConnection *connection,
                           GBytes        *message)
{
  g_autoptr(SwsSipMessage) msg = NULL;
  g_autoptr(GError) error = NULL;

  self->received++;

  if (handle_keepalive (self, connection, message))
    return;

  if (!sws_sip_message_parse (message, &msg, &error))
    {
      self->parse_errors++;
      /* Responses and ACKs are never answered (§17.1.1.1, RFC 4475), and
       * without a Via there is nothing a response could be matched by. */
      if (msg != NULL && msg->is_request && msg->method != SWS_METHOD_ACK &&
          sws_sip_message_find (msg, SWS_HDR_VIA) != NULL)
        {
          sws_sip_message_set_source (msg, sws_connection_get_remote_ip (connection),
                                      sws_connection_get_remote_port (connection));
          g_debug ("flow %" G_GUINT64_FORMAT ": malformed request answered %d %s",
                   sws_connection_get_id (connection), error->code, error->message);
          send_reply (self, connection, msg, (guint) error->code, error->message, NULL);
        }
      else
        g_debug ("flow %" G_GUINT64_FORMAT ": malformed message dropped: %s",
                 sws_connection_get_id (connection), error->message);
      return;
    }

  sws_sip_message_set_source (msg, sws_connection_get_remote_ip (connection),
                              sws_connection_get_remote_port (connection));

  if (msg->is_request)
    {
      sws_sip_stats_count_request (&self->received_stats, msg->method);
      if (!check_rate (self, connection, msg))
        return;
      handle_request (self, connection, msg);
    }
  else
    {
      sws_sip_stats_count_response (&self->received_stats, msg->status);
      sws_proxy_handle_response (self->proxy, connection, msg);
    }
}

static void
on_transport_message (SwsConnection *connection,
                      GBytes        *message,
                      gpointer       user_data)
{
  sws_server_handle_message (SWS_SERVER (user_data), connection, message);
}

/* ---- public ------------------------------------------------------------- */

/* Via and Record-Route need a "host:port" of ours; the first listener's
 * will do, since WebSocket peers never connect back to it by itself. */
static void
set_local_address (SwsServer *self)
{
  const char * const *uris = sws_transport_get_listen_uris (self->transport);
  g_autoptr(GUri) uri = NULL;
  g_autofree char *host_port = NULL;
  const char *host;

  if (uris == NULL || uris[0] == NULL || (uri = g_uri_parse (uris[0], G_URI_FLAGS_NONE, NULL)) == NULL)
    return;
  host = g_uri_get_host (uri);
  if (g_str_equal (host, "0.0.0.0") || g_str_equal (host, "::"))
    host = g_get_host_name ();
  if (strchr (host, ':') != NULL)
    host_port = g_strdup_printf ("[%s]:%d", host, g_uri_get_port (uri));
  else
    host_port = g_strdup_printf ("%s:%d", host, g_uri_get_port (uri));
  sws_proxy_set_local_address (self->proxy, host_port);
}

gboolean
sws_server_start (SwsServer  *self,
                  GError    **error)
{
  g_return_val_if_fail (SWS_IS_SERVER (self), FALSE);

  if (!sws_server_configure_auth (self, self->config, error) ||
      !sws_transport_start (self->transport, error))
    return FALSE;
  set_local_address (self);
  return TRUE;
}

void
sws_server_stop (SwsServer *self)
{
  g_return_if_fail (SWS_IS_SERVER (self));

  sws_transport_stop (self->transport);
}

static void
on_adopted_closed (SwsConnection *connection,
                   gpointer       user_data)
{
  SwsServer *self = user_data;

  g_signal_handlers_disconnect_by_data (connection, self);
  sws_proxy_connection_closed (self->proxy, connection);
  sws_registrar_connection_closed (self->registrar, connection);
}

void
sws_server_adopt_connection (SwsServer     *self,
                             SwsConnection *connection)
{
  g_signal_connect (connection, "closed", G_CALLBACK (on_adopted_closed), self);
  sws_proxy_connection_opened (self->proxy, connection);
}

gboolean
sws_server_configure_auth (SwsServer  *self,
                           SwsConfig  *config,
                           GError    **error)
{
  g_autofree char *realm = sws_config_dup_realm (config);

  g_return_val_if_fail (SWS_IS_SERVER (self), FALSE);

  if (!sws_auth_configure (self->auth, sws_config_get_users_file (config), realm,
                           sws_config_get_nonce_lifetime (config),
                           sws_config_get_auth_algorithms (config), error))
    return FALSE;
  sws_proxy_set_auth_realm (self->proxy, sws_auth_is_enabled (self->auth) ? realm : NULL);
  return TRUE;
}

SwsAuth *
sws_server_get_auth (SwsServer *self)
{
  return self->auth;
}

guint64
sws_server_get_auth_failures (SwsServer *self)
{
  return sws_auth_get_failures (self->auth);
}

guint
sws_server_get_timer_count (SwsServer *self)
{
  return sws_timer_heap_size (self->timers);
}

void
sws_server_run_timers (SwsServer *self)
{
  sws_timer_heap_run (self->timers, g_get_monotonic_time ());
}

void
sws_server_run_timers_at (SwsServer *self,
                          gint64     now)
{
  sws_timer_heap_run (self->timers, now);
}

SwsConfig *
sws_server_get_config (SwsServer *self)
{
  return self->config;
}

SwsRegistrar *
sws_server_get_registrar (SwsServer *self)
{
  return self->registrar;
}

SwsProxy *
sws_server_get_proxy (SwsServer *self)
{
  return self->proxy;
}

SwsTransport *
sws_server_get_transport (SwsServer *self)
{
  return self->transport;
}

guint
sws_server_get_connection_count (SwsServer *self)
{
  return sws_transport_get_connection_count (self->transport);
}

guint64
sws_server_get_messages_received (SwsServer *self)
{
  return self->received;
}

guint64
sws_server_get_messages_sent (SwsServer *self)
{
  return self->sent + sws_proxy_get_messages_sent (self->proxy);
}

void
sws_server_get_sip_stats (SwsServer   *self,
                          SwsSipStats *received,
                          SwsSipStats *sent)
{
  *received = self->received_stats;
  *sent = self->sent_stats;
  sws_sip_stats_add (sent, sws_proxy_get_sent_stats (self->proxy));
}

guint64
sws_server_get_rate_limited (SwsServer *self)
{
  return self->rate_limited;
}

void
sws_server_config_changed (SwsServer *self)
{
  sws_transport_reload_certificate (self->transport);
  if (self->limiter != NULL)
    sws_rate_limiter_configure (self->limiter, sws_config_get_rate_limit (self->config),
                                sws_config_get_rate_limit_burst (self->config));
}

guint64
sws_server_get_parse_errors (SwsServer *self)
{
  return self->parse_errors;
}

gint64
sws_server_get_start_time (SwsServer *self)
{
  return self->start_time;
}
