/* test-frames.c: dead peers, with a raw client
 *
 * libsoup's client always answers pings, so this test speaks RFC 6455 by
 * hand over a plain socket to be a peer that stops answering. (Fragments
 * and size limits are in test-transport.c.)
 */

#include <string.h>

#include "sws-test-daemon.h"
#include "sws-test-ua.h"

typedef struct
{
  GSocketConnection *conn;
  GInputStream *in;
  GOutputStream *out;
} Raw;

static void
raw_free (Raw *raw)
{
  g_clear_object (&raw->conn);
  g_free (raw);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Raw, raw_free)

static Raw *
raw_connect (SwsTestDaemon *daemon)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *request = NULL;
  GString *head = g_string_new (NULL);
  Raw *raw = g_new0 (Raw, 1);
  char c;

  raw->conn = g_socket_client_connect_to_host (client, "127.0.0.1",
                                               sws_test_daemon_get_port (daemon), NULL, &error);
  g_assert_no_error (error);
  g_socket_set_timeout (g_socket_connection_get_socket (raw->conn), 15);
  raw->in = g_io_stream_get_input_stream (G_IO_STREAM (raw->conn));
  raw->out = g_io_stream_get_output_stream (G_IO_STREAM (raw->conn));
  request = g_strdup_printf ("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                             "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Protocol: sip\r\n\r\n");
  g_output_stream_write_all (raw->out, request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);
  while (!g_str_has_suffix (head->str, "\r\n\r\n") &&
         g_input_stream_read (raw->in, &c, 1, NULL, &error) == 1)
    g_string_append_c (head, c);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (head->str, "HTTP/1.1 101"));
  g_string_free (head, TRUE);
  return raw;
}

/* One client frame (masked, RFC 6455 §5.3). FALSE when the server has
 * closed the connection. */
static gboolean
raw_send_frame (Raw *raw, gboolean fin, guint8 opcode, const void *data, gsize len)
{
  g_autoptr(GByteArray) frame = g_byte_array_sized_new (len + 14);
  guint8 mask[4] = { 0x12, 0x34, 0x56, 0x78 };
  guint8 b0 = (fin ? 0x80 : 0) | opcode;

  g_byte_array_append (frame, &b0, 1);
  if (len < 126)
    {
      guint8 b1 = 0x80 | (guint8) len;

      g_byte_array_append (frame, &b1, 1);
    }
  else if (len < 65536)
    {
      guint8 b[3] = { 0x80 | 126, (guint8) (len >> 8), (guint8) len };

      g_byte_array_append (frame, b, 3);
    }
  else
    {
      guint8 b[9] = { 0x80 | 127 };

      for (int i = 0; i < 8; i++)
        b[8 - i] = (guint8) ((guint64) len >> (8 * i));
      g_byte_array_append (frame, b, 9);
    }
  g_byte_array_append (frame, mask, 4);
  for (gsize i = 0; i < len; i++)
    {
      guint8 m = ((const guint8 *) data)[i] ^ mask[i % 4];

      g_byte_array_append (frame, &m, 1);
    }
  return g_output_stream_write_all (raw->out, frame->data, frame->len, NULL, NULL, NULL);
}

static gboolean
read_exact (Raw *raw, void *buf, gsize len)
{
  gsize got = 0;

  return g_input_stream_read_all (raw->in, buf, len, &got, NULL, NULL) && got == len;
}

/* The next data frame's payload (pings are skipped, not answered), or
 * NULL when the connection closes or a close frame comes. */
static char *
raw_recv_text (Raw *raw)
{
  for (;;)
    {
      guint8 h[2];
      guint64 len;
      g_autofree char *payload = NULL;

      if (!read_exact (raw, h, 2))
        return NULL;
      len = h[1] & 0x7f;
      if (len == 126)
        {
          guint8 b[2];

          if (!read_exact (raw, b, 2))
            return NULL;
          len = ((guint64) b[0] << 8) | b[1];
        }
      else if (len == 127)
        {
          guint8 b[8];

          if (!read_exact (raw, b, 8))
            return NULL;
          len = 0;
          for (int i = 0; i < 8; i++)
            len = (len << 8) | b[i];
        }
      payload = g_malloc (len + 1);
      if (!read_exact (raw, payload, len))
        return NULL;
      payload[len] = '\0';
      if ((h[0] & 0x0f) == 0x8)
        return NULL;
      if ((h[0] & 0x0f) == 0x1 || (h[0] & 0x0f) == 0x2)
        return g_steal_pointer (&payload);
    }
}

static char *
register_text (const char *user, gsize body_len)
{
  g_autofree char *body = g_strnfill (body_len, 'x');

  return g_strdup_printf ("REGISTER sip:example.com SIP/2.0\r\n"
                          "Via: SIP/2.0/WS raw.invalid;branch=z9hG4bK%s\r\n"
                          "Max-Forwards: 70\r\nTo: <sip:%s@example.com>\r\n"
                          "From: <sip:%s@example.com>;tag=r1\r\nCall-ID: raw-%s\r\n"
                          "CSeq: 1 REGISTER\r\nContact: <sip:%s@raw.invalid;transport=ws>\r\n"
                          "Content-Type: text/plain\r\nContent-Length: %zu\r\n\r\n%s",
                          user, user, user, user, user, body_len, body);
}

static guint
status_code_of (const char *text)
{
  g_assert_nonnull (text);
  return sws_test_status_code (text);
}

static volatile gint reader_finished;

static gpointer
read_until_closed (gpointer data)
{
  g_autofree char *text = raw_recv_text (data);

  g_atomic_int_set (&reader_finished, 1);
  g_main_context_wakeup (NULL);
  return NULL;
}

static gboolean
reader_done (gpointer data)
{
  return g_atomic_int_get (&reader_finished) == 1;
}

static void
test_dead_peer (void)
{
  g_autoptr(SwsTestDaemon) daemon = sws_test_daemon_new ();
  g_autoptr(SwsTestClient) alive = NULL;
  g_autoptr(Raw) raw = NULL;
  g_autofree char *text = register_text ("dead", 0);
  g_autofree char *r = NULL;
  gint64 start;

  g_key_file_set_integer (sws_test_daemon_get_config (daemon), "server", "keepalive-interval", 1);
  sws_test_daemon_start (daemon);
  alive = sws_test_client_new_for_daemon (daemon);
  raw = raw_connect (daemon);
  g_assert_true (raw_send_frame (raw, TRUE, 0x1, text, strlen (text)));
  r = raw_recv_text (raw);
  g_assert_cmpuint (status_code_of (r), ==, 200);

  /* The raw peer reads pings but never answers: closed after about three
   * intervals. Its read blocks in a thread so that the main context keeps
   * running for the libsoup client, which answers pings and must stay. */
  start = g_get_monotonic_time ();
  {
    GThread *reader = g_thread_new ("raw-reader", read_until_closed, raw);

    g_assert_true (sws_test_iterate_until (NULL, 20000, reader_done, NULL));
    g_thread_join (reader);
  }
  /* well before the raw socket's own 15 s timeout */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  g_assert_true (sws_test_client_is_open (alive));
  sws_test_daemon_stop (daemon);
}

int
main (int argc, char *argv[])
{
  sws_test_init (&argc, &argv);

  g_test_add_func ("/sws/integration/frames/dead-peer", test_dead_peer);

  return g_test_run ();
}
