/* sws-test-client.c: a SIP-over-WebSocket client for integration tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A deliberately simple client: libsoup 3's WebSocket client offering the
 * "sip" subprotocol (RFC 7118 §4), a queue of received messages, and string
 * helpers to build requests and read responses.  It does not share any code
 * with the daemon's parser, so a parser bug cannot hide itself.
 */

#include <string.h>

#include "sws-test-client.h"

struct _SwsTestClient
{
  GMainContext            *context;
  SoupSession             *session;
  SoupWebsocketConnection *conn;
  GQueue                   messages;   /* char *, oldest first */
  char                    *contact_uri;
  gboolean                 closed;
};

typedef struct
{
  SoupWebsocketConnection *conn;
  GError                  *error;
  gboolean                 done;
} ConnectData;

static void
on_message (SoupWebsocketConnection *conn,
            SoupWebsocketDataType    type,
            GBytes                  *data,
            gpointer                 user_data)
{
  SwsTestClient *self = user_data;
  gsize len;
  const char *bytes = g_bytes_get_data (data, &len);

  /* Binary frames carry SIP too (RFC 7118 §5.1); NULs end the copy. */
  g_queue_push_tail (&self->messages, g_strndup (bytes, len));
}

static void
on_closed (SoupWebsocketConnection *conn,
           gpointer                 user_data)
{
  SwsTestClient *self = user_data;

  self->closed = TRUE;
}

static void
on_error (SoupWebsocketConnection *conn,
          GError                  *error,
          gpointer                 user_data)
{
  g_test_message ("WebSocket error: %s", error->message);
}

static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ConnectData *data = user_data;

  data->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source),
                                                      result, &data->error);
  data->done = TRUE;
}

static gboolean
is_connect_done (gpointer user_data)
{
  ConnectData *data = user_data;

  return data->done;
}

char *
sws_test_new_token (guint len)
{
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  GString *token = g_string_sized_new (len);

  for (guint i = 0; i < len; i++)
    g_string_append_c (token, alphabet[g_random_int_range (0, sizeof alphabet - 1)]);

  return g_string_free (token, FALSE);
}

static gboolean
on_accept_certificate (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  return TRUE;
}

SwsTestClient *
sws_test_client_new (const char  *uri,
                     GError     **error)
{
  return sws_test_client_new_from (uri, NULL, error);
}

SwsTestClient *
sws_test_client_new_from (const char  *uri,
                          const char  *local_ip,
                          GError     **error)
{
  g_autoptr(SwsTestClient) self = g_new0 (SwsTestClient, 1);
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *user = sws_test_new_token (8);
  g_autofree char *host = sws_test_new_token (12);
  const char *protocols[] = { "sip", NULL };
  ConnectData data = { 0 };

  g_return_val_if_fail (uri != NULL, NULL);

  self->context = g_main_context_ref_thread_default ();
  if (local_ip != NULL)
    {
      g_autoptr(GInetSocketAddress) local =
        G_INET_SOCKET_ADDRESS (g_inet_socket_address_new_from_string (local_ip, 0));

      g_assert_nonnull (local);
      self->session = soup_session_new_with_options ("local-address", local, NULL);
    }
  else
    self->session = soup_session_new ();
  g_queue_init (&self->messages);
  /* The shape of a browser client's Contact (RFC 7118 §5.2). */
  self->contact_uri = g_strdup_printf ("sip:%s@%s.invalid;transport=ws", user, host);

  msg = soup_message_new (SOUP_METHOD_GET, uri);
  g_return_val_if_fail (msg != NULL, NULL);
  /* wss:// tests use a certificate made for the test: trust it. */
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (on_accept_certificate), NULL);

  soup_session_websocket_connect_async (self->session, msg, NULL,
                                        (char **) protocols,
                                        G_PRIORITY_DEFAULT, cancellable,
                                        on_connected, &data);

  if (!sws_test_iterate_until (self->context, SWS_TEST_CONNECT_TIMEOUT_MS,
                               is_connect_done, &data))
    {
      g_cancellable_cancel (cancellable);
      /* The callback runs soon after a cancel; it still needs a bound. */
      sws_test_iterate_until (self->context, 1000, is_connect_done, &data);
      g_assert_true (data.done);
    }

  if (data.error != NULL)
    {
      g_propagate_error (error, data.error);
      return NULL;
    }

  self->conn = data.conn;
  g_signal_connect (self->conn, "message", G_CALLBACK (on_message), self);
  g_signal_connect (self->conn, "closed", G_CALLBACK (on_closed), self);
  g_signal_connect (self->conn, "error", G_CALLBACK (on_error), self);

  return g_steal_pointer (&self);
}

SwsTestClient *
sws_test_client_new_for_daemon (SwsTestDaemon *daemon)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SwsTestClient) self = NULL;

  self = sws_test_client_new (sws_test_daemon_get_uri (daemon), &error);
  g_assert_no_error (error);
  g_assert_nonnull (self);
  /* RFC 7118 §4: the server must echo the subprotocol. */
  g_assert_cmpstr (soup_websocket_connection_get_protocol (self->conn), ==, "sip");

  return g_steal_pointer (&self);
}

static gboolean
is_closed (gpointer user_data)
{
  SwsTestClient *self = user_data;

  return self->closed;
}

void
sws_test_client_free (SwsTestClient *self)
{
  if (self == NULL)
    return;

  if (self->conn != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->conn, self);
      if (soup_websocket_connection_get_state (self->conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
    }

  g_clear_object (&self->conn);
  g_clear_object (&self->session);
  g_queue_clear_full (&self->messages, g_free);
  g_clear_pointer (&self->contact_uri, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self);
}

SoupWebsocketConnection *
sws_test_client_get_connection (SwsTestClient *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->conn;
}

const char *
sws_test_client_get_contact_uri (SwsTestClient *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->contact_uri;
}

void
sws_test_client_send (SwsTestClient *self,
                      const char    *text)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (text != NULL);

  g_assert_cmpint (soup_websocket_connection_get_state (self->conn), ==,
                   SOUP_WEBSOCKET_STATE_OPEN);
  soup_websocket_connection_send_text (self->conn, text);
}

void
sws_test_client_send_binary (SwsTestClient *self,
                             gconstpointer  data,
                             gsize          len)
{
  g_return_if_fail (self != NULL);

  g_assert_cmpint (soup_websocket_connection_get_state (self->conn), ==,
                   SOUP_WEBSOCKET_STATE_OPEN);
  soup_websocket_connection_send_binary (self->conn, data, len);
}

static gboolean
has_message_or_closed (gpointer user_data)
{
  SwsTestClient *self = user_data;

  return !g_queue_is_empty (&self->messages) || self->closed;
}

char *
sws_test_client_recv (SwsTestClient *self,
                      guint          timeout_ms)
{
  g_return_val_if_fail (self != NULL, NULL);

  sws_test_iterate_until (self->context, timeout_ms, has_message_or_closed, self);

  return g_queue_pop_head (&self->messages);
}

char *
sws_test_client_recv_final (SwsTestClient *self,
                            guint          timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;

  g_return_val_if_fail (self != NULL, NULL);

  for (;;)
    {
      gint64 left = (deadline - g_get_monotonic_time ()) / G_TIME_SPAN_MILLISECOND;
      g_autofree char *message = NULL;
      guint code;

      if (left <= 0)
        return NULL;

      message = sws_test_client_recv (self, (guint) left);
      if (message == NULL)
        return NULL;

      /* Requests and provisional responses are not what we wait for. */
      code = sws_test_status_code (message);
      if (code >= 200)
        return g_steal_pointer (&message);

      g_test_message ("skipping while waiting for a final response: %.40s", message);
    }
}

char *
sws_test_client_request (SwsTestClient *self,
                         const char    *message)
{
  sws_test_client_send (self, message);

  return sws_test_client_recv_final (self, SWS_TEST_RECV_TIMEOUT_MS);
}

void
sws_test_client_expect_silence (SwsTestClient *self)
{
  g_autofree char *message = sws_test_client_recv (self, SWS_TEST_SILENCE_MS);

  if (message != NULL)
    {
      g_autofree char *escaped = g_strescape (message, NULL);

      g_test_message ("expected no message, got \"%.200s\"", escaped);
    }
  g_assert_null (message);
}

gboolean
sws_test_client_is_open (SwsTestClient *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  while (g_main_context_pending (self->context))
    g_main_context_iteration (self->context, FALSE);

  return soup_websocket_connection_get_state (self->conn) == SOUP_WEBSOCKET_STATE_OPEN;
}

gboolean
sws_test_client_wait_closed (SwsTestClient *self,
                             guint          timeout_ms)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return sws_test_iterate_until (self->context, timeout_ms, is_closed, self);
}

gushort
sws_test_client_get_close_code (SwsTestClient *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return soup_websocket_connection_get_close_code (self->conn);
}

/* A clean close: close frame, then wait (bounded) for the server's. */
void
sws_test_client_close (SwsTestClient *self)
{
  g_return_if_fail (self != NULL);

  if (soup_websocket_connection_get_state (self->conn) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);

  g_assert_true (sws_test_client_wait_closed (self, SWS_TEST_RECV_TIMEOUT_MS));
}

/* An abrupt close, as when a browser tab crashes: no close frame. */
void
sws_test_client_drop (SwsTestClient *self)
{
  GIOStream *stream;

  g_return_if_fail (self != NULL);

  stream = soup_websocket_connection_get_io_stream (self->conn);
  g_io_stream_close (stream, NULL, NULL);
}

/* ---- building requests ---- */

static char *
domain_of (const char *aor)
{
  const char *start = strchr (aor, '@');
  const char *end;

  start = start ? start + 1 : strchr (aor, ':') + 1;
  end = start + strcspn (start, ";>?");

  return g_strndup (start, end - start);
}

char *
sws_test_build_request (const char *method,
                        const char *request_uri,
                        const char *to,
                        const char *call_id,
                        guint32     cseq,
                        const char *extra_headers,
                        const char *body)
{
  g_autofree char *branch = sws_test_new_token (16);
  g_autofree char *via_host = sws_test_new_token (12);
  g_autofree char *tag = sws_test_new_token (10);
  g_autofree char *own_call_id = NULL;
  GString *msg = g_string_new (NULL);

  if (call_id == NULL)
    call_id = own_call_id = sws_test_new_token (20);
  if (body == NULL)
    body = "";

  /* RFC 3261 §8.1.1: the mandatory header fields of a request. */
  g_string_append_printf (msg, "%s %s SIP/2.0\r\n", method, request_uri);
  g_string_append_printf (msg, "Via: SIP/2.0/WS %s.invalid;branch=z9hG4bK%s\r\n",
                          via_host, branch);
  g_string_append (msg, "Max-Forwards: 70\r\n");
  g_string_append_printf (msg, "To: <%s>\r\n", to);
  g_string_append_printf (msg, "From: <%s>;tag=%s\r\n", to, tag);
  g_string_append_printf (msg, "Call-ID: %s\r\n", call_id);
  g_string_append_printf (msg, "CSeq: %u %s\r\n", cseq, method);
  if (extra_headers != NULL)
    g_string_append (msg, extra_headers);
  g_string_append_printf (msg, "Content-Length: %zu\r\n\r\n", strlen (body));
  g_string_append (msg, body);

  return g_string_free (msg, FALSE);
}

char *
sws_test_build_register_full (const char *aor,
                              const char *contact,
                              int         expires,
                              const char *call_id,
                              guint32     cseq,
                              const char *extra_headers,
                              const char *body)
{
  g_autofree char *domain = domain_of (aor);
  g_autofree char *request_uri = g_strdup_printf ("sip:%s", domain);
  g_autoptr(GString) headers = g_string_new (NULL);

  if (contact != NULL)
    g_string_append_printf (headers, "Contact: %s\r\n", contact);
  if (expires >= 0)
    g_string_append_printf (headers, "Expires: %d\r\n", expires);
  if (extra_headers != NULL)
    g_string_append (headers, extra_headers);

  return sws_test_build_request ("REGISTER", request_uri, aor, call_id, cseq,
                                 headers->str, body);
}

char *
sws_test_build_register (const char *aor,
                         const char *contact,
                         int         expires,
                         const char *call_id,
                         guint32     cseq)
{
  return sws_test_build_register_full (aor, contact, expires, call_id, cseq,
                                       NULL, NULL);
}

char *
sws_test_build_options (const char *request_uri)
{
  return sws_test_build_request ("OPTIONS", request_uri, request_uri, NULL, 1,
                                 "Accept: application/sdp\r\n", NULL);
}

/* ---- reading responses ---- */

guint
sws_test_status_code (const char *message)
{
  guint64 code;
  char *end;

  if (message == NULL || !g_str_has_prefix (message, "SIP/2.0 "))
    return 0;

  code = g_ascii_strtoull (message + strlen ("SIP/2.0 "), &end, 10);
  if (end != message + strlen ("SIP/2.0 ") + 3 || (*end != ' ' && *end != '\r'))
    return 0;

  return (guint) code;
}

char *
sws_test_reason_phrase (const char *message)
{
  const char *start;

  if (sws_test_status_code (message) == 0)
    return NULL;

  start = message + strlen ("SIP/2.0 123");
  if (*start == ' ')
    start++;

  return g_strndup (start, strcspn (start, "\r\n"));
}

/* RFC 3261 §7.3.3 compact forms */
static const char *
long_name (const char *name)
{
  static const char *const forms[][2] = {
    { "i", "Call-ID" }, { "m", "Contact" }, { "e", "Content-Encoding" },
    { "l", "Content-Length" }, { "c", "Content-Type" }, { "f", "From" },
    { "s", "Subject" }, { "k", "Supported" }, { "t", "To" }, { "v", "Via" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (forms); i++)
    if (g_ascii_strcasecmp (name, forms[i][0]) == 0)
      return forms[i][1];

  return name;
}

GStrv
sws_test_header_all (const char *message,
                     const char *name)
{
  g_autoptr(GStrvBuilder) values = g_strv_builder_new ();
  g_auto(GStrv) lines = NULL;
  const char *wanted = long_name (name);
  GString *current = NULL;

  g_return_val_if_fail (message != NULL, NULL);

  lines = g_strsplit (message, "\r\n", -1);

  /* Line 0 is the start line; headers end at the first empty line. */
  for (guint i = 1; lines[i] != NULL && lines[i][0] != '\0'; i++)
    {
      const char *line = lines[i];
      g_autofree char *line_name = NULL;
      const char *colon;

      if (line[0] == ' ' || line[0] == '\t')
        {
          /* RFC 3261 §7.3.1 folding */
          if (current != NULL)
            {
              g_string_append_c (current, ' ');
              g_string_append (current, g_strstrip (lines[i]));
            }
          continue;
        }

      if (current != NULL)
        {
          g_strv_builder_add (values, g_strstrip (current->str));
          g_string_free (current, TRUE);
          current = NULL;
        }

      colon = strchr (line, ':');
      if (colon == NULL)
        continue;

      line_name = g_strstrip (g_strndup (line, colon - line));
      if (g_ascii_strcasecmp (long_name (line_name), wanted) == 0)
        current = g_string_new (colon + 1);
    }

  if (current != NULL)
    {
      g_strv_builder_add (values, g_strstrip (current->str));
      g_string_free (current, TRUE);
    }

  return g_strv_builder_end (values);
}

char *
sws_test_header (const char *message,
                 const char *name)
{
  g_auto(GStrv) values = sws_test_header_all (message, name);

  return values[0] ? g_strdup (values[0]) : NULL;
}

/* Splits comma-separated values, leaving commas inside quotes and <>. */
GStrv
sws_test_header_list (const char *message,
                      const char *name)
{
  g_autoptr(GStrvBuilder) items = g_strv_builder_new ();
  g_auto(GStrv) values = sws_test_header_all (message, name);

  for (guint i = 0; values[i] != NULL; i++)
    {
      const char *p = values[i];
      const char *start = p;
      gboolean quoted = FALSE;
      gboolean bracketed = FALSE;

      for (;; p++)
        {
          if (*p == '\\' && quoted && p[1] != '\0')
            {
              p++;
              continue;
            }
          if (*p == '"' && !bracketed)
            quoted = !quoted;
          else if (*p == '<' && !quoted)
            bracketed = TRUE;
          else if (*p == '>' && !quoted)
            bracketed = FALSE;
          else if ((*p == ',' && !quoted && !bracketed) || *p == '\0')
            {
              g_autofree char *item = g_strndup (start, p - start);

              g_strstrip (item);
              if (item[0] != '\0')
                g_strv_builder_add (items, item);
              if (*p == '\0')
                break;
              start = p + 1;
            }
        }
    }

  return g_strv_builder_end (items);
}

/* Returns the value of a header parameter ("" for a flag), or NULL.
 * Parameters start after the <uri> if there is one, else at the first ';'. */
char *
sws_test_header_param (const char *value,
                       const char *param)
{
  const char *p = value;
  const char *bracket;
  gsize param_len = strlen (param);

  g_return_val_if_fail (value != NULL, NULL);

  bracket = strchr (value, '<');
  if (bracket != NULL && strchr (bracket, '>') != NULL)
    p = strchr (bracket, '>') + 1;

  while ((p = strchr (p, ';')) != NULL)
    {
      const char *name = ++p;
      const char *end;

      while (*name == ' ' || *name == '\t')
        name++;
      end = name + strcspn (name, "=; \t");

      if ((gsize) (end - name) == param_len
          && g_ascii_strncasecmp (name, param, param_len) == 0)
        {
          const char *val;

          while (*end == ' ' || *end == '\t')
            end++;
          if (*end != '=')
            return g_strdup ("");

          val = end + 1;
          while (*val == ' ' || *val == '\t')
            val++;
          if (*val == '"')
            {
              const char *close = strchr (val + 1, '"');

              return close ? g_strndup (val, close - val + 1) : g_strdup (val);
            }
          return g_strndup (val, strcspn (val, "; \t,"));
        }

      /* Skip a quoted value so that a ';' inside it is not a separator. */
      p = end;
      if (*p == '=')
        {
          p++;
          if (*p == '"')
            {
              const char *close = strchr (p + 1, '"');

              if (close == NULL)
                return NULL;
              p = close + 1;
            }
        }
    }

  return NULL;
}

char *
sws_test_contact_uri (const char *contact)
{
  const char *start = strchr (contact, '<');

  if (start != NULL)
    {
      const char *end = strchr (start, '>');

      if (end != NULL)
        return g_strndup (start + 1, end - start - 1);
    }

  /* Without brackets, parameters belong to the header (RFC 3261 §20.10). */
  return g_strndup (contact, strcspn (contact, "; \t"));
}

gint64
sws_test_contact_expires (const char *contact)
{
  g_autofree char *value = sws_test_header_param (contact, "expires");
  guint64 expires;

  if (value == NULL)
    return -1;
  if (!g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT32, &expires, NULL))
    return -2;

  return (gint64) expires;
}

const char *
sws_test_find_contact (const char * const *contacts,
                       const char         *uri)
{
  for (guint i = 0; contacts != NULL && contacts[i] != NULL; i++)
    {
      g_autofree char *contact_uri = sws_test_contact_uri (contacts[i]);

      if (g_strcmp0 (contact_uri, uri) == 0)
        return contacts[i];
    }

  return NULL;
}

/* ---- acting as a user agent ---- */

/* The method of a request; NULL for a response or garbage. */
char *
sws_test_method (const char *message)
{
  gsize len;

  g_return_val_if_fail (message != NULL, NULL);

  if (g_str_has_prefix (message, "SIP/2.0 "))
    return NULL;

  len = strcspn (message, " \r\n");
  if (len == 0 || message[len] != ' ')
    return NULL;

  return g_strndup (message, len);
}

char *
sws_test_request_uri (const char *message)
{
  g_autofree char *method = sws_test_method (message);
  const char *start;

  if (method == NULL)
    return NULL;

  start = message + strlen (method) + 1;
  return g_strndup (start, strcspn (start, " \r\n"));
}

/* What follows the empty line; NULL when there is no empty line. */
const char *
sws_test_body (const char *message)
{
  const char *end;

  g_return_val_if_fail (message != NULL, NULL);

  end = strstr (message, "\r\n\r\n");
  return end != NULL ? end + 4 : NULL;
}

/* The tag of a From or To value, or NULL. */
char *
sws_test_tag (const char *name_addr)
{
  if (name_addr == NULL)
    return NULL;

  return sws_test_header_param (name_addr, "tag");
}

/* The response a UAS builds for @request (RFC 3261 §8.2.6.2): Vias, From,
 * Call-ID and CSeq copied, To copied with @to_tag added when it has none.
 * A UAS copies Record-Route into the responses that may create a dialog,
 * 18x and 2xx (§12.1.1). */
char *
sws_test_build_response (const char *request,
                         guint       status,
                         const char *reason,
                         const char *to_tag,
                         const char *contact,
                         const char *extra_headers,
                         const char *body)
{
  g_auto(GStrv) vias = sws_test_header_all (request, "Via");
  g_auto(GStrv) record_routes = sws_test_header_all (request, "Record-Route");
  g_autofree char *from = sws_test_header (request, "From");
  g_autofree char *to = sws_test_header (request, "To");
  g_autofree char *call_id = sws_test_header (request, "Call-ID");
  g_autofree char *cseq = sws_test_header (request, "CSeq");
  g_autofree char *old_tag = sws_test_tag (to);
  GString *msg = g_string_new (NULL);

  g_assert_nonnull (from);
  g_assert_nonnull (to);
  g_assert_nonnull (call_id);
  g_assert_nonnull (cseq);
  g_assert_cmpuint (g_strv_length (vias), >, 0);

  if (body == NULL)
    body = "";

  g_string_append_printf (msg, "SIP/2.0 %u %s\r\n", status, reason);
  for (guint i = 0; vias[i] != NULL; i++)
    g_string_append_printf (msg, "Via: %s\r\n", vias[i]);
  g_string_append_printf (msg, "From: %s\r\n", from);
  if (old_tag == NULL && to_tag != NULL)
    g_string_append_printf (msg, "To: %s;tag=%s\r\n", to, to_tag);
  else
    g_string_append_printf (msg, "To: %s\r\n", to);
  g_string_append_printf (msg, "Call-ID: %s\r\n", call_id);
  g_string_append_printf (msg, "CSeq: %s\r\n", cseq);
  if (status > 100 && status < 300)
    for (guint i = 0; record_routes[i] != NULL; i++)
      g_string_append_printf (msg, "Record-Route: %s\r\n", record_routes[i]);
  if (contact != NULL)
    g_string_append_printf (msg, "Contact: <%s>\r\n", contact);
  if (extra_headers != NULL)
    g_string_append (msg, extra_headers);
  g_string_append_printf (msg, "Content-Length: %zu\r\n\r\n", strlen (body));
  g_string_append (msg, body);

  return g_string_free (msg, FALSE);
}
