/* sws-http-events.c: GET /api/v1/events, registration and call events as Server-Sent Events
 *
 * The same events as `sipwsctl monitor --json` (registered, unregistered,
 * call-added, call-state, call-removed), one JSON object per SSE "data:"
 * line, built by sws-json.c. A browser's EventSource reconnects by
 * itself; each event carries an id so a page can tell where it is.
 *
 * Each stream is a chunked response that libsoup writes as chunks are
 * appended. Its unwritten bytes are counted: a client that stops reading
 * is cut off instead of growing the daemon's memory. Nothing is built
 * while no stream is open, so the API costs the SIP path nothing then.
 */

#define G_LOG_DOMAIN "sws-http"

#include "config.h"

#include "sws-dbus-call.h"
#include "sws-dbus-registration.h"
#include "sws-http-events.h"
#include "sws-json.h"

/* Comments keep proxies from timing the stream out and find dead peers. */
#define KEEPALIVE_SECONDS 20
#define KEEPALIVE ": keepalive\n\n"
/* Sent first, so the client sees the stream open at once; retry is how
 * long an EventSource waits before reconnecting (ms). */
#define HELLO "retry: 2000\n: sipwsd events\n\n"

typedef struct
{
  SwsHttpEvents *owner;
  SoupServerMessage *msg;
  gsize pending;        /* appended, not yet written */
  gboolean closing;
} Stream;

struct _SwsHttpEvents
{
  GObject parent_instance;

  SwsServer *server;
  GPtrArray *streams;   /* Stream*, owned */
  guint64 next_id;
  gsize max_pending;
  guint keepalive_id;
};

G_DEFINE_FINAL_TYPE (SwsHttpEvents, sws_http_events, G_TYPE_OBJECT)

/* ---- streams ------------------------------------------------------------ */

static void
stream_free (Stream *stream)
{
  g_signal_handlers_disconnect_by_data (stream->msg, stream);
  g_object_unref (stream->msg);
  g_free (stream);
}

static void
on_stream_finished (SoupServerMessage *msg,
                    gpointer           user_data)
{
  Stream *stream = user_data;
  SwsHttpEvents *self = stream->owner;

  g_debug ("event stream to %s ended",
           soup_server_message_get_remote_host (msg));
  /* Frees the stream: nothing may touch it after this. */
  g_ptr_array_remove_fast (self->streams, stream);
  if (self->streams->len == 0)
    g_clear_handle_id (&self->keepalive_id, g_source_remove);
}

static void
on_wrote_body_data (SoupServerMessage *msg,
                    guint              chunk_size,
                    gpointer           user_data)
{
  Stream *stream = user_data;

  stream->pending -= MIN (stream->pending, chunk_size);
}

/* End the response: the last chunk goes out after what is queued. */
static void
stream_close (Stream *stream)
{
  if (stream->closing)
    return;
  stream->closing = TRUE;
  soup_message_body_complete (soup_server_message_get_response_body (stream->msg));
  soup_server_message_unpause (stream->msg);
}

/* A reader that stopped reading: what is queued will not be read either,
 * so the socket is shut down; libsoup's write then fails and the message
 * finishes, which frees the stream. */
static void
stream_cut_off (Stream *stream)
{
  GSocket *socket = soup_server_message_get_socket (stream->msg);

  g_message ("event stream to %s cut off: %" G_GSIZE_FORMAT " bytes unread",
             soup_server_message_get_remote_host (stream->msg), stream->pending);
  stream->closing = TRUE;
  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
  soup_server_message_unpause (stream->msg);
}

static void
stream_append (Stream *stream,
               GBytes *bytes)
{
  if (stream->closing)
    return;
  if (stream->pending + g_bytes_get_size (bytes) > stream->owner->max_pending)
    {
      stream_cut_off (stream);
      return;
    }
  stream->pending += g_bytes_get_size (bytes);
  soup_message_body_append_bytes (soup_server_message_get_response_body (stream->msg), bytes);
  soup_server_message_unpause (stream->msg);
}

static void
broadcast (SwsHttpEvents *self,
           GBytes        *bytes)
{
  /* Appending may cut a stream off, which only shuts its socket down: the
   * array changes later, from libsoup's callbacks, not during this loop. */
  for (guint i = 0; i < self->streams->len; i++)
    stream_append (self->streams->pdata[i], bytes);
}

static gboolean
on_keepalive (gpointer user_data)
{
  SwsHttpEvents *self = user_data;
  g_autoptr(GBytes) comment = g_bytes_new_static (KEEPALIVE, sizeof KEEPALIVE - 1);

  broadcast (self, comment);
  return G_SOURCE_CONTINUE;
}

/* One SSE event: "id: N" and the JSON on one "data:" line (JSON printed
 * compactly has no newline in it). */
static void
emit_event (SwsHttpEvents *self,
            const char    *event,
            const char    *path,
            GVariant      *properties,
            JsonObject    *fields)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gsize len;

  node = sws_json_event_new (g_get_real_time (), event, path, properties, fields);
  json = json_to_string (node, FALSE);
  text = g_strdup_printf ("id: %" G_GUINT64_FORMAT "\ndata: %s\n\n", ++self->next_id, json);
  len = strlen (text);
  bytes = g_bytes_new_take (g_steal_pointer (&text), len);
  broadcast (self, bytes);
}

/* ---- what happens ------------------------------------------------------- */

static void
on_registration_added (SwsRegistrar    *registrar,
                       SwsRegistration *reg,
                       gpointer         user_data)
{
  SwsHttpEvents *self = user_data;
  g_autofree char *path = NULL;
  g_autoptr(GVariant) properties = NULL;

  if (self->streams->len == 0)
    return;
  path = sws_dbus_registration_path (reg);
  properties = sws_dbus_registration_properties (reg);
  emit_event (self, "registered", path, properties, NULL);
}

static void
on_registration_removed (SwsRegistrar    *registrar,
                         SwsRegistration *reg,
                         guint            reason,
                         gpointer         user_data)
{
  SwsHttpEvents *self = user_data;
  g_autofree char *path = NULL;
  g_autoptr(GVariant) properties = NULL;
  g_autoptr(JsonObject) fields = NULL;

  if (self->streams->len == 0)
    return;
  path = sws_dbus_registration_path (reg);
  properties = sws_dbus_registration_properties (reg);
  fields = json_object_new ();
  json_object_set_string_member (fields, "reason", sws_json_removed_reason_name (reason));
  emit_event (self, "unregistered", path, properties, fields);
}

static void
emit_call_event (SwsHttpEvents *self,
                 SwsCall       *call,
                 const char    *event,
                 JsonObject    *fields)
{
  g_autofree char *path = sws_dbus_call_path (call);
  g_autoptr(GVariant) properties = sws_dbus_call_properties (call);

  emit_event (self, event, path, properties, fields);
}

static void
on_call_state_changed (SwsCall *call,
                       guint    old_state,
                       guint    new_state,
                       guint    reason,
                       gpointer user_data)
{
  SwsHttpEvents *self = user_data;
  g_autoptr(JsonObject) fields = NULL;

  if (self->streams->len == 0)
    return;
  fields = json_object_new ();
  json_object_set_string_member (fields, "old_state", sws_json_call_state_name (old_state));
  json_object_set_string_member (fields, "new_state", sws_json_call_state_name (new_state));
  json_object_set_string_member (fields, "reason", sws_json_call_reason_name (reason));
  emit_call_event (self, call, "call-state", fields);
}

static void
on_call_added (SwsProxy *proxy,
               SwsCall  *call,
               gpointer  user_data)
{
  SwsHttpEvents *self = user_data;

  g_signal_connect (call, "state-changed", G_CALLBACK (on_call_state_changed), self);
  if (self->streams->len > 0)
    emit_call_event (self, call, "call-added", NULL);
}

static void
on_call_removed (SwsProxy *proxy,
                 SwsCall  *call,
                 gpointer  user_data)
{
  SwsHttpEvents *self = user_data;

  g_signal_handlers_disconnect_by_data (call, self);
  if (self->streams->len > 0)
    emit_call_event (self, call, "call-removed", NULL);
}

/* ---- object ------------------------------------------------------------- */

static void
sws_http_events_dispose (GObject *object)
{
  SwsHttpEvents *self = SWS_HTTP_EVENTS (object);

  if (self->server != NULL)
    {
      g_autoptr(GPtrArray) calls = sws_proxy_list_calls (sws_server_get_proxy (self->server));

      for (guint i = 0; i < calls->len; i++)
        g_signal_handlers_disconnect_by_data (calls->pdata[i], self);
      g_signal_handlers_disconnect_by_data (sws_server_get_registrar (self->server), self);
      g_signal_handlers_disconnect_by_data (sws_server_get_proxy (self->server), self);
    }
  if (self->streams != NULL)
    sws_http_events_close_all (self);
  g_clear_pointer (&self->streams, g_ptr_array_unref);
  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  g_clear_object (&self->server);

  G_OBJECT_CLASS (sws_http_events_parent_class)->dispose (object);
}

static void
sws_http_events_class_init (SwsHttpEventsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sws_http_events_dispose;
}

static void
sws_http_events_init (SwsHttpEvents *self)
{
  self->streams = g_ptr_array_new_with_free_func ((GDestroyNotify) stream_free);
  self->max_pending = 1024 * 1024;
}

SwsHttpEvents *
sws_http_events_new (SwsServer *server)
{
  SwsHttpEvents *self = g_object_new (SWS_TYPE_HTTP_EVENTS, NULL);
  SwsRegistrar *registrar = sws_server_get_registrar (server);
  SwsProxy *proxy = sws_server_get_proxy (server);
  g_autoptr(GPtrArray) calls = sws_proxy_list_calls (proxy);

  self->server = g_object_ref (server);
  g_signal_connect (registrar, "registration-added", G_CALLBACK (on_registration_added), self);
  g_signal_connect (registrar, "registration-removed", G_CALLBACK (on_registration_removed), self);
  g_signal_connect (proxy, "call-added", G_CALLBACK (on_call_added), self);
  g_signal_connect (proxy, "call-removed", G_CALLBACK (on_call_removed), self);
  for (guint i = 0; i < calls->len; i++)
    g_signal_connect (calls->pdata[i], "state-changed", G_CALLBACK (on_call_state_changed), self);
  return self;
}

gboolean
sws_http_events_add_stream (SwsHttpEvents     *self,
                            SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  SoupMessageBody *body = soup_server_message_get_response_body (msg);
  g_autoptr(GBytes) hello = NULL;
  Stream *stream;

  g_return_val_if_fail (SWS_IS_HTTP_EVENTS (self), FALSE);

  if (self->streams->len >= SWS_HTTP_EVENTS_MAX_STREAMS)
    return FALSE;

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (headers, "text/event-stream", NULL);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  /* Written chunks are dropped, not kept for the life of the stream. */
  soup_message_body_set_accumulate (body, FALSE);

  stream = g_new0 (Stream, 1);
  stream->owner = self;
  stream->msg = g_object_ref (msg);
  g_signal_connect (msg, "finished", G_CALLBACK (on_stream_finished), stream);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (on_wrote_body_data), stream);
  g_ptr_array_add (self->streams, stream);

  hello = g_bytes_new_static (HELLO, sizeof HELLO - 1);
  stream_append (stream, hello);

  if (self->keepalive_id == 0)
    self->keepalive_id = g_timeout_add_seconds (KEEPALIVE_SECONDS, on_keepalive, self);
  g_debug ("event stream to %s opened (%u open)",
           soup_server_message_get_remote_host (msg), self->streams->len);
  return TRUE;
}

guint
sws_http_events_get_count (SwsHttpEvents *self)
{
  g_return_val_if_fail (SWS_IS_HTTP_EVENTS (self), 0);

  return self->streams->len;
}

void
sws_http_events_set_max_pending (SwsHttpEvents *self,
                                 gsize          bytes)
{
  g_return_if_fail (SWS_IS_HTTP_EVENTS (self));

  self->max_pending = bytes;
}

void
sws_http_events_close_all (SwsHttpEvents *self)
{
  g_return_if_fail (SWS_IS_HTTP_EVENTS (self));

  for (guint i = 0; i < self->streams->len; i++)
    stream_close (self->streams->pdata[i]);
}
