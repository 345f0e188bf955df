/* test-robustness.c: hostile input through the whole message path
 *
 * Every RFC 4475 torture message, and thousands of random mutations of
 * them (bit flips, truncations, spliced copies), go through the server as
 * if a registered client had sent them, both before and after a call is
 * set up. The server must answer or drop each one without crashing,
 * leaking or leaving transactions behind, and keep serving a well-behaved
 * client. The seed is fixed, so a failure is reproducible; run the test
 * under valgrind to look for invalid reads.
 */

#include "sws-test-sip.h"

#define MUTATIONS_PER_FILE 150

static GPtrArray *
load_corpus (void)
{
  const char *dir = g_getenv ("SWS_RFC4475_DIR");
  g_autoptr(GDir) d = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *corpus = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  const char *name;

  if (dir == NULL)
    g_error ("SWS_RFC4475_DIR is not set: the torture messages are required");
  d = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = NULL;
      char *data = NULL;
      gsize len = 0;

      if (!g_str_has_suffix (name, ".dat"))
        continue;
      path = g_build_filename (dir, name, NULL);
      g_file_get_contents (path, &data, &len, &error);
      g_assert_no_error (error);
      g_ptr_array_add (corpus, g_bytes_new_take (data, len));
    }
  g_assert_cmpuint (corpus->len, ==, 49);
  return corpus;
}

static GBytes *
mutate (GRand *rand, GBytes *original, GBytes *other)
{
  gsize len;
  const guint8 *src = g_bytes_get_data (original, &len);
  GByteArray *out = g_byte_array_sized_new (len + 64);
  guint kind = g_rand_int_range (rand, 0, 5);

  g_byte_array_append (out, src, len);
  switch (kind)
    {
    case 0:   /* flip a few bytes */
      for (guint i = 0; i < 1 + (guint) g_rand_int_range (rand, 0, 8) && out->len > 0; i++)
        out->data[g_rand_int_range (rand, 0, out->len)] = (guint8) g_rand_int_range (rand, 0, 256);
      break;
    case 1:   /* truncate */
      g_byte_array_set_size (out, g_rand_int_range (rand, 0, out->len + 1));
      break;
    case 2:   /* splice the tail of another message in */
      {
        gsize olen;
        const guint8 *o = g_bytes_get_data (other, &olen);
        gsize cut = g_rand_int_range (rand, 0, out->len + 1);
        gsize from = g_rand_int_range (rand, 0, olen + 1);

        g_byte_array_set_size (out, cut);
        g_byte_array_append (out, o + from, olen - from);
      }
      break;
    case 3:   /* drop one line */
      {
        guint8 *nl = memchr (out->data, '\n', out->len);

        if (nl != NULL)
          {
            gsize at = (gsize) (nl - out->data) + 1;
            guint8 *next = memchr (out->data + at, '\n', out->len - at);

            if (next != NULL)
              g_byte_array_remove_range (out, at, (guint) (next - (out->data + at)) + 1);
          }
      }
      break;
    default:  /* separators where they hurt */
      for (guint i = 0; i < 4 && out->len > 0; i++)
        {
          static const char seps[] = ",;:<>\"\\ \r\n%@";

          out->data[g_rand_int_range (rand, 0, out->len)] = seps[g_rand_int_range (rand, 0, sizeof seps - 1)];
        }
      break;
    }
  return g_byte_array_free_to_bytes (out);
}

static void
drain (SwsConnection *conn)
{
  g_autofree char *m = NULL;

  while ((m = sws_fake_connection_pop (SWS_FAKE_CONNECTION (conn))) != NULL)
    g_clear_pointer (&m, g_free);
}

static void
check_still_serving (SwsServer *server, SwsConnection *conn)
{
  static guint cseq = 0;
  g_autofree char *text = sws_test_register ("check@example.com", "<sip:check@c.invalid>",
                                             "still-serving", ++cseq, NULL);
  g_autoptr(SwsSipMessage) r = NULL;

  drain (conn);
  r = sws_test_exchange (server, conn, text);
  g_assert_cmpuint (r->status, ==, 200);
}

static void
test_torture (void)
{
  g_autoptr(GPtrArray) corpus = load_corpus ();
  g_autoptr(SwsServer) server = sws_test_server_new ("[proxy]\ncall-linger=0\n");
  g_autoptr(SwsConnection) a = sws_fake_connection_new ("192.0.2.1", 5060);
  g_autoptr(SwsConnection) b = sws_fake_connection_new ("192.0.2.2", 5060);
  g_autoptr(SwsConnection) good = sws_fake_connection_new ("192.0.2.3", 5060);
  g_autoptr(GRand) rand = g_rand_new_with_seed (4475);
  g_autofree char *reg_a = sws_test_register ("j.user@example.com", "<sip:j@a.invalid>", "ra", 1,
                                              NULL);
  g_autofree char *reg_b = sws_test_register ("user@example.com", "<sip:u@b.invalid>", "rb", 1,
                                              NULL);
  g_autoptr(SwsSipMessage) ra = NULL;
  g_autoptr(SwsSipMessage) rb = NULL;
  guint sent = 0;

  sws_server_adopt_connection (server, a);
  sws_server_adopt_connection (server, b);
  sws_server_adopt_connection (server, good);
  /* Users some torture messages address, so that they reach the proxy. */
  ra = sws_test_exchange (server, a, reg_a);
  rb = sws_test_exchange (server, b, reg_b);

  for (guint i = 0; i < corpus->len; i++)
    {
      sws_server_handle_message (server, a, corpus->pdata[i]);
      sws_server_handle_message (server, b, corpus->pdata[i]);
      sent += 2;
      for (guint m = 0; m < MUTATIONS_PER_FILE; m++)
        {
          GBytes *other = corpus->pdata[g_rand_int_range (rand, 0, corpus->len)];
          g_autoptr(GBytes) bytes = mutate (rand, corpus->pdata[i], other);

          sws_server_handle_message (server, m % 2 ? a : b, bytes);
          sent++;
        }
      drain (a);
      drain (b);
    }
  g_test_message ("%u messages sent, %" G_GUINT64_FORMAT " parse errors", sent,
                  sws_server_get_parse_errors (server));
  g_assert_cmpuint (sws_server_get_messages_received (server), >=, sent);

  check_still_serving (server, good);

  /* Flows closing end everything that is still pending. */
  sws_connection_close (a, 1000, NULL);
  sws_connection_close (b, 1000, NULL);
  sws_test_settle ();
  g_assert_cmpuint (sws_proxy_get_active_call_count (sws_server_get_proxy (server)), ==, 0);
  check_still_serving (server, good);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sws/robustness/torture-and-mutations", test_torture);

  return g_test_run ();
}
