/* test-server.c: what the server answers by itself (RFC 3261 §8.2, §11, §16.3) */

#include "sws-test-sip.h"

typedef struct
{
  SwsServer *server;
  SwsConnection *conn;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  f->server = sws_test_server_new (NULL);
  f->conn = sws_fake_connection_new ("192.0.2.7", 5555);
  sws_server_adopt_connection (f->server, f->conn);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->conn);
  g_clear_object (&f->server);
}

static char *
request (const char *method,
         const char *ruri,
         const char *extra)
{
  return g_strdup_printf ("%s %s SIP/2.0\r\n"
                          "Via: SIP/2.0/WS x.invalid;branch=z9hG4bK-%s;rport\r\n"
                          "Max-Forwards: 70\r\n"
                          "To: <sip:bob@example.com>\r\n"
                          "From: <sip:alice@example.com>;tag=1928\r\n"
                          "Call-ID: call-%s\r\n"
                          "CSeq: 1 %s\r\n"
                          "%s"
                          "Content-Length: 0\r\n\r\n",
                          method, ruri, method, method, method, extra ? extra : "");
}

static void
test_options (Fixture *f, gconstpointer data)
{
  g_autofree char *text = request ("OPTIONS", "sip:127.0.0.1", NULL);
  g_autoptr(SwsSipMessage) r = sws_test_exchange (f->server, f->conn, text);
  g_autofree char *allow = sws_test_header (r, "Allow");
  g_autofree char *accept = sws_test_header (r, "Accept");
  g_autofree char *supported = sws_test_header (r, "Supported");
  g_autofree char *via = sws_test_header (r, "Via");

  g_assert_cmpuint (r->status, ==, 200);
  g_assert_nonnull (strstr (allow, "REGISTER"));
  g_assert_nonnull (strstr (allow, "OPTIONS"));
  g_assert_nonnull (accept);
  g_assert_nonnull (supported);
  /* §18.2.1 and RFC 3581: received always, rport filled when asked. */
  g_assert_nonnull (strstr (via, ";received=192.0.2.7"));
  g_assert_nonnull (strstr (via, ";rport=5555"));
}

static void
test_unknown_method (Fixture *f, gconstpointer data)
{
  g_autofree char *text = request ("FOO", "sip:bob@example.com", NULL);
  g_autoptr(SwsSipMessage) r = sws_test_exchange (f->server, f->conn, text);
  g_autofree char *allow = sws_test_header (r, "Allow");

  g_assert_cmpuint (r->status, ==, 501);
  g_assert_nonnull (allow);
}

static void
test_require (Fixture *f, gconstpointer data)
{
  g_autofree char *t1 = request ("OPTIONS", "sip:bob@example.com", "Proxy-Require: foo, bar\r\n");
  g_autofree char *t2 = request ("OPTIONS", "sip:example.com", "Require: baz\r\n");
  g_autoptr(SwsSipMessage) r1 = sws_test_exchange (f->server, f->conn, t1);
  g_autoptr(SwsSipMessage) r2 = sws_test_exchange (f->server, f->conn, t2);
  g_autofree char *u1 = sws_test_header (r1, "Unsupported");
  g_autofree char *u2 = sws_test_header (r2, "Unsupported");

  g_assert_cmpuint (r1->status, ==, 420);
  g_assert_cmpstr (u1, ==, "foo, bar");
  g_assert_cmpuint (r2->status, ==, 420);
  g_assert_cmpstr (u2, ==, "baz");
}

static void
test_uri_scheme (Fixture *f, gconstpointer data)
{
  g_autofree char *text = request ("OPTIONS", "isbn:2983792873", NULL);
  g_autoptr(SwsSipMessage) r = sws_test_exchange (f->server, f->conn, text);

  g_assert_cmpuint (r->status, ==, 416);
}

static void
test_max_forwards (Fixture *f, gconstpointer data)
{
  g_autofree char *base = request ("MESSAGE", "sip:bob@example.com", NULL);
  g_autofree char *zero = NULL;
  g_autoptr(SwsSipMessage) r = NULL;
  char *p = strstr (base, "Max-Forwards: 70");

  g_assert_nonnull (p);
  memcpy (p, "Max-Forwards: 00", 16);
  zero = g_strdup (base);
  r = sws_test_exchange (f->server, f->conn, zero);
  g_assert_cmpuint (r->status, ==, 483);
}

static void
test_malformed (Fixture *f, gconstpointer data)
{
  const char *bad_cseq = "REGISTER sip:example.com SIP/2.0\r\n"
                         "Via: SIP/2.0/WS x.invalid;branch=z9hG4bKbad\r\n"
                         "To: <sip:a@example.com>\r\nFrom: <sip:a@example.com>;tag=1\r\n"
                         "Call-ID: bad1\r\nCSeq: one REGISTER\r\nContent-Length: 0\r\n\r\n";
  g_autoptr(GBytes) bytes = g_bytes_new_static (bad_cseq, strlen (bad_cseq));
  g_autofree char *reply = NULL;

  /* The answer copies the broken CSeq (§8.2.6.2), so it is checked as text. */
  sws_server_handle_message (f->server, f->conn, bytes);
  reply = sws_fake_connection_pop (SWS_FAKE_CONNECTION (f->conn));
  g_assert_nonnull (reply);
  g_assert_true (g_str_has_prefix (reply, "SIP/2.0 400 Malformed CSeq\r\n"));
  g_assert_nonnull (strstr (reply, "\r\nCall-ID: bad1\r\n"));
  g_assert_cmpuint (sws_server_get_parse_errors (f->server), ==, 1);

  /* Garbage and stray responses are dropped without an answer. */
  sws_test_no_reply (f->server, f->conn, "\x01\x02 hello");
  sws_test_no_reply (f->server, f->conn,
                     "SIP/2.0 200 OK\r\nVia: SIP/2.0/WS x.invalid;branch=z9hG4bKzz\r\n"
                     "To: <sip:a@example.com>;tag=2\r\nFrom: <sip:a@example.com>;tag=1\r\n"
                     "Call-ID: z\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n");
  g_assert_cmpuint (sws_server_get_parse_errors (f->server), ==, 2);
}

static void
test_ack_absorbed (Fixture *f, gconstpointer data)
{
  g_autofree char *text = request ("ACK", "sip:bob@example.com", NULL);

  sws_test_no_reply (f->server, f->conn, text);
}

static void
test_too_large (Fixture *f, gconstpointer data)
{
  g_autofree char *body = g_strnfill (70000, 'a');
  g_autofree char *head = g_strdup_printf ("Content-Type: text/plain\r\nContent-Length: %u\r\n",
                                           70000);
  g_autofree char *text = NULL;
  g_autoptr(SwsSipMessage) r = NULL;
  g_autofree char *base = request ("MESSAGE", "sip:bob@example.com", NULL);
  char *cl = strstr (base, "Content-Length: 0\r\n\r\n");

  *cl = '\0';
  text = g_strconcat (base, head, "\r\n", body, NULL);
  r = sws_test_exchange (f->server, f->conn, text);
  g_assert_cmpuint (r->status, ==, 513);
}

static void
test_keepalive (Fixture *f, gconstpointer data)
{
  g_autoptr(GBytes) ping = g_bytes_new_static ("\r\n\r\n", 4);
  g_autofree char *pong = NULL;

  sws_server_handle_message (f->server, f->conn, ping);
  pong = sws_fake_connection_pop (SWS_FAKE_CONNECTION (f->conn));
  g_assert_cmpstr (pong, ==, "\r\n");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/sws/server/" path, Fixture, NULL, setup, fn, teardown)
  ADD ("options", test_options);
  ADD ("unknown-method", test_unknown_method);
  ADD ("require", test_require);
  ADD ("uri-scheme", test_uri_scheme);
  ADD ("max-forwards", test_max_forwards);
  ADD ("malformed", test_malformed);
  ADD ("ack-absorbed", test_ack_absorbed);
  ADD ("too-large", test_too_large);
  ADD ("keepalive", test_keepalive);

  return g_test_run ();
}
