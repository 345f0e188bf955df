/* sws-test-ws-raw.c: a WebSocket client that builds its own frames
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libsoup's client sends every message as one frame. To test what a
 * server does with fragments (RFC 6455 §5.4), frames it must refuse and
 * messages that never end, this client speaks the protocol by hand over
 * a plain socket: the opening handshake of §4.1 offering the "sip"
 * subprotocol (RFC 7118 §4), masked frames with any FIN bit and opcode
 * (§5.2, §5.3), and a reader for the server's unmasked frames that answers
 * pings and notes close frames.  Every read is bounded by a deadline;
 * writes by the socket timeout.
 */

#include <string.h>

#include "sws-test-client.h"
#include "sws-test-ws-raw.h"

#define IO_TIMEOUT_S 5
#define WS_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

struct _SwsTestWsRaw
{
  GSocketConnection *conn;
  GSocket           *socket;
  GByteArray        *in;        /* received, not yet parsed */
  GByteArray        *message;   /* data frames of an unfinished message */
  gboolean           closed;    /* close frame, end of stream or error */
  gushort            close_code;
  guint              pongs;
};

/* Reads what is there into self->in, waiting until @deadline at most.
 * FALSE when nothing more will come: timeout, end of stream or error. */
static gboolean
read_some (SwsTestWsRaw *self,
           gint64        deadline)
{
  g_autoptr(GError) error = NULL;
  gint64 left = deadline - g_get_monotonic_time ();
  guint8 buf[16384];
  gssize n;

  if (self->closed || left <= 0)
    return FALSE;

  if (!g_socket_condition_timed_wait (self->socket, G_IO_IN, left, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        self->closed = TRUE;
      return FALSE;
    }

  n = g_socket_receive (self->socket, (char *) buf, sizeof buf, NULL, &error);
  if (n <= 0)
    {
      /* End of stream, or a reset from a server that closed on us. */
      if (error != NULL)
        g_test_message ("raw WebSocket: %s", error->message);
      self->closed = TRUE;
      return FALSE;
    }

  g_byte_array_append (self->in, buf, (guint) n);
  return TRUE;
}

static gboolean
fill (SwsTestWsRaw *self,
      gsize         len,
      gint64        deadline)
{
  while (self->in->len < len)
    if (!read_some (self, deadline))
      return FALSE;

  return TRUE;
}

static gboolean
send_all (SwsTestWsRaw  *self,
          const guint8  *data,
          gsize          len,
          GError       **error)
{
  while (len > 0)
    {
      gssize n = g_socket_send (self->socket, (const char *) data, len, NULL, error);

      if (n < 0)
        return FALSE;
      data += n;
      len -= (gsize) n;
    }

  return TRUE;
}

static char *
accept_key (const char *key)
{
  g_autofree char *concatenated = g_strconcat (key, WS_GUID, NULL);
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize len = sizeof digest;

  g_checksum_update (sha1, (const guchar *) concatenated, -1);
  g_checksum_get_digest (sha1, digest, &len);

  return g_base64_encode (digest, len);
}

/* Connects to the daemon and completes the opening handshake (RFC 6455
 * §4.1), asserting that the server accepted "sip" (RFC 7118 §4). */
SwsTestWsRaw *
sws_test_ws_raw_new (SwsTestDaemon *daemon)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SwsTestWsRaw) self = g_new0 (SwsTestWsRaw, 1);
  g_autofree char *key = NULL;
  g_autofree char *expected_accept = NULL;
  g_autofree char *request = NULL;
  g_autofree char *head = NULL;
  g_autofree char *accept = NULL;
  g_autofree char *protocol = NULL;
  gint64 deadline = g_get_monotonic_time () + IO_TIMEOUT_S * G_USEC_PER_SEC;
  guint16 port = sws_test_daemon_get_port (daemon);
  guint8 nonce[16];
  const char *end;

  for (gsize i = 0; i < sizeof nonce; i++)
    nonce[i] = (guint8) g_random_int_range (0, 256);
  key = g_base64_encode (nonce, sizeof nonce);
  expected_accept = accept_key (key);

  g_socket_client_set_timeout (client, IO_TIMEOUT_S);
  self->conn = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
  g_assert_no_error (error);
  self->socket = g_socket_connection_get_socket (self->conn);
  g_socket_set_timeout (self->socket, IO_TIMEOUT_S);
  self->in = g_byte_array_new ();
  self->message = g_byte_array_new ();

  request = g_strdup_printf ("GET / HTTP/1.1\r\n"
                             "Host: 127.0.0.1:%u\r\n"
                             "Upgrade: websocket\r\n"
                             "Connection: Upgrade\r\n"
                             "Origin: http://127.0.0.1:8089\r\n"
                             "Sec-WebSocket-Key: %s\r\n"
                             "Sec-WebSocket-Version: 13\r\n"
                             "Sec-WebSocket-Protocol: sip\r\n"
                             "\r\n",
                             port, key);
  send_all (self, (const guint8 *) request, strlen (request), &error);
  g_assert_no_error (error);

  /* The head, and only the head: frames may follow it in the same read. */
  do
    {
      gboolean more = read_some (self, deadline);

      if (!more)
        g_test_message ("no complete handshake response within %d s", IO_TIMEOUT_S);
      g_assert_true (more);
      end = g_strstr_len ((const char *) self->in->data, self->in->len, "\r\n\r\n");
    }
  while (end == NULL);
  head = g_strndup ((const char *) self->in->data, end + 4 - (const char *) self->in->data);
  g_byte_array_remove_range (self->in, 0, (guint) strlen (head));

  if (!g_str_has_prefix (head, "HTTP/1.1 101 "))
    g_test_message ("handshake refused:\n%s", head);
  g_assert_true (g_str_has_prefix (head, "HTTP/1.1 101 "));
  accept = sws_test_header (head, "Sec-WebSocket-Accept");
  g_assert_cmpstr (accept, ==, expected_accept);
  protocol = sws_test_header (head, "Sec-WebSocket-Protocol");
  g_assert_cmpstr (protocol, ==, "sip");

  return g_steal_pointer (&self);
}

void
sws_test_ws_raw_free (SwsTestWsRaw *self)
{
  if (self == NULL)
    return;

  if (self->conn != NULL)
    g_io_stream_close (G_IO_STREAM (self->conn), NULL, NULL);
  g_clear_object (&self->conn);
  g_clear_pointer (&self->in, g_byte_array_unref);
  g_clear_pointer (&self->message, g_byte_array_unref);
  g_free (self);
}

/* One frame as a client must send it (RFC 6455 §5.2): masked, with the
 * shortest length encoding. Fails when the server has gone. */
gboolean
sws_test_ws_raw_send_frame (SwsTestWsRaw     *self,
                            gboolean          fin,
                            SwsTestWsOpcode   opcode,
                            gconstpointer     data,
                            gsize             len,
                            GError          **error)
{
  g_autoptr(GByteArray) frame = g_byte_array_sized_new ((guint) len + 14);
  const guint8 *payload = data;
  guint8 header[10];
  guint8 mask[4];
  gsize header_len = 2;

  g_return_val_if_fail (self != NULL, FALSE);

  header[0] = (fin ? 0x80 : 0x00) | (opcode & 0x0f);
  if (len < 126)
    header[1] = 0x80 | (guint8) len;
  else if (len <= G_MAXUINT16)
    {
      header[1] = 0x80 | 126;
      header[2] = (guint8) (len >> 8);
      header[3] = (guint8) len;
      header_len = 4;
    }
  else
    {
      header[1] = 0x80 | 127;
      for (guint i = 0; i < 8; i++)
        header[2 + i] = (guint8) ((guint64) len >> (56 - 8 * i));
      header_len = 10;
    }
  g_byte_array_append (frame, header, (guint) header_len);

  for (gsize i = 0; i < sizeof mask; i++)
    mask[i] = (guint8) g_random_int_range (0, 256);
  g_byte_array_append (frame, mask, sizeof mask);

  g_byte_array_set_size (frame, (guint) (header_len + sizeof mask + len));
  for (gsize i = 0; i < len; i++)
    frame->data[header_len + sizeof mask + i] = payload[i] ^ mask[i % 4];

  return send_all (self, frame->data, frame->len, error);
}

/* @text as a text frame and continuation frames (§5.4), the last with FIN. */
gboolean
sws_test_ws_raw_send_fragments (SwsTestWsRaw  *self,
                                const char    *text,
                                guint          n_fragments,
                                GError       **error)
{
  gsize len = strlen (text);
  gsize size = (len + n_fragments - 1) / n_fragments;
  gsize offset = 0;

  g_return_val_if_fail (n_fragments > 0 && size > 0, FALSE);

  for (guint i = 0; i < n_fragments; i++)
    {
      gsize chunk = MIN (size, len - offset);

      if (!sws_test_ws_raw_send_frame (self, i == n_fragments - 1,
                                       i == 0 ? SWS_TEST_WS_TEXT : SWS_TEST_WS_CONTINUATION,
                                       text + offset, chunk, error))
        return FALSE;
      offset += chunk;
    }

  g_assert_cmpuint (offset, ==, len);
  return TRUE;
}

/* Parses one frame from self->in; FALSE if it has not all arrived. */
static gboolean
next_frame (SwsTestWsRaw  *self,
            gint64         deadline,
            guint8        *opcode,
            gboolean      *fin,
            GByteArray    *payload)
{
  guint64 len;
  gsize header_len = 2;
  const guint8 *p;

  if (!fill (self, 2, deadline))
    return FALSE;

  p = self->in->data;
  /* §5.1: a server never masks. */
  g_assert_cmpuint (p[1] & 0x80, ==, 0);
  len = p[1] & 0x7f;
  if (len == 126)
    header_len = 4;
  else if (len == 127)
    header_len = 10;
  if (!fill (self, header_len, deadline))
    return FALSE;

  p = self->in->data;
  if (len >= 126)
    {
      len = 0;
      for (gsize i = 2; i < header_len; i++)
        len = (len << 8) | p[i];
    }
  g_assert_cmpuint (len, <=, 16 * 1024 * 1024);
  if (!fill (self, header_len + (gsize) len, deadline))
    return FALSE;

  p = self->in->data;
  *fin = (p[0] & 0x80) != 0;
  *opcode = p[0] & 0x0f;
  g_byte_array_append (payload, p + header_len, (guint) len);
  g_byte_array_remove_range (self->in, 0, (guint) (header_len + len));

  return TRUE;
}

/* The next data message from the server, reassembled; pings are answered
 * and close frames noted on the way. NULL on timeout or close. */
char *
sws_test_ws_raw_recv (SwsTestWsRaw *self,
                      guint         timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;

  g_return_val_if_fail (self != NULL, NULL);

  for (;;)
    {
      g_autoptr(GByteArray) payload = g_byte_array_new ();
      guint8 opcode;
      gboolean fin;

      if (!next_frame (self, deadline, &opcode, &fin, payload))
        return NULL;

      switch (opcode)
        {
        case SWS_TEST_WS_CLOSE:
          self->close_code = payload->len >= 2
                               ? (gushort) ((payload->data[0] << 8) | payload->data[1])
                               : SOUP_WEBSOCKET_CLOSE_NO_STATUS;
          self->closed = TRUE;
          return NULL;
        case SWS_TEST_WS_PING:
          sws_test_ws_raw_send_frame (self, TRUE, SWS_TEST_WS_PONG,
                                      payload->data, payload->len, NULL);
          break;
        case SWS_TEST_WS_PONG:
          self->pongs++;
          break;
        default:
          g_byte_array_append (self->message, payload->data, payload->len);
          if (fin)
            {
              char *text = g_strndup ((const char *) self->message->data, self->message->len);

              g_byte_array_set_size (self->message, 0);
              return text;
            }
          break;
        }
    }
}

/* TRUE once the server has closed the connection, by a close frame or by
 * ending the stream, within @timeout_ms. Messages meanwhile are dropped. */
gboolean
sws_test_ws_raw_wait_closed (SwsTestWsRaw *self,
                             guint         timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * G_TIME_SPAN_MILLISECOND;

  g_return_val_if_fail (self != NULL, FALSE);

  while (!self->closed && g_get_monotonic_time () < deadline)
    {
      gint64 left_ms = (deadline - g_get_monotonic_time ()) / G_TIME_SPAN_MILLISECOND;
      g_autofree char *message = sws_test_ws_raw_recv (self, (guint) MAX (left_ms, 1));

      if (message != NULL)
        g_test_message ("raw WebSocket: dropping \"%.60s\" while waiting for the close",
                        message);
    }

  return self->closed;
}

/* The status code of the server's close frame; 0 without one. */
gushort
sws_test_ws_raw_get_close_code (SwsTestWsRaw *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->close_code;
}

guint
sws_test_ws_raw_get_pongs (SwsTestWsRaw *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->pongs;
}
