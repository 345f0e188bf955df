/* test-sip-writer.c: responses built from requests, byte for byte */

#include "sws-sip-writer.h"

#include <locale.h>
#include <string.h>

#define REQUEST_TAIL                                                    \
  "Max-Forwards: 70\r\n"                                                \
  "To: <sip:alice@example.com>\r\n"                                     \
  "From: \"Alice\" <sip:alice@example.com>;tag=f1\r\n"                   \
  "Call-ID: c1@x\r\n"                                                   \
  "CSeq: 2 REGISTER\r\n"                                                \
  "Contact: <sip:alice@df7jal23ls0d.invalid;transport=ws>;expires=600\r\n" \
  "Content-Length: 0\r\n"                                               \
  "\r\n"

#define RESPONSE_TAIL                                                   \
  "From: \"Alice\" <sip:alice@example.com>;tag=f1\r\n"                   \
  "To: <sip:alice@example.com>;tag=t1\r\n"                              \
  "Call-ID: c1@x\r\n"                                                   \
  "CSeq: 2 REGISTER\r\n"                                                \
  "Content-Length: 0\r\n"                                               \
  "\r\n"

static SwsSipMessage *
request_from (const char *text, const char *ip, guint16 port)
{
  SwsSipMessage *msg = NULL;

  /* requests that fail to parse get answered too */
  sws_sip_message_parse_data (text, -1, &msg, NULL);
  g_assert_nonnull (msg);
  if (ip != NULL)
    sws_sip_message_set_source (msg, ip, port);
  return msg;
}

static void
assert_response (SwsSipMessage *request,
                 guint          status,
                 const char    *reason,
                 const char    *to_tag,
                 const char    *expected)
{
  GString *s = sws_sip_response_begin (request, status, reason, to_tag);
  g_autoptr(GBytes) bytes = sws_sip_message_end (s, NULL, NULL, 0);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  if (len != strlen (expected) || memcmp (data, expected, len) != 0)
    g_error ("response differs:\n--- got\n%.*s--- expected\n%s", (int) len, data, expected);
}

static void
test_sample (void)
{
  g_autoptr(SwsSipMessage) req = request_from (
    "REGISTER sip:example.com SIP/2.0\r\n"
    "Via: SIP/2.0/WSS df7jal23ls0d.invalid;rport;branch=z9hG4bKabc\r\n"
    "Via: SIP/2.0/TCP proxy.example.com;branch=z9hG4bKdef\r\n"
    REQUEST_TAIL, "192.0.2.7", 50123);

  assert_response (req, 200, "OK", "t1",
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/WSS df7jal23ls0d.invalid;rport=50123;branch=z9hG4bKabc;received=192.0.2.7\r\n"
    "Via: SIP/2.0/TCP proxy.example.com;branch=z9hG4bKdef\r\n"
    RESPONSE_TAIL);
}

static void
test_received_rport (void)
{
  g_autoptr(SwsSipMessage) a = NULL;
  g_autoptr(SwsSipMessage) b = NULL;
  g_autoptr(SwsSipMessage) c = NULL;

  /* an existing received and rport value are replaced in place */
  a = request_from ("REGISTER sip:example.com SIP/2.0\r\n"
                    "Via: SIP/2.0/WS h.invalid:8080;received=10.0.0.1;rport=1234;branch=z9hG4bKa;x\r\n"
                    REQUEST_TAIL, "2001:db8::7", 443);
  assert_response (a, 200, "OK", "t1",
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/WS h.invalid:8080;received=2001:db8::7;rport=443;branch=z9hG4bKa;x\r\n"
    RESPONSE_TAIL);

  /* no rport in the request: none in the response */
  b = request_from ("REGISTER sip:example.com SIP/2.0\r\n"
                    "Via: SIP/2.0/WS h.invalid;branch=z9hG4bKb\r\n"
                    REQUEST_TAIL, "192.0.2.7", 50123);
  assert_response (b, 200, "OK", "t1",
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/WS h.invalid;branch=z9hG4bKb;received=192.0.2.7\r\n"
    RESPONSE_TAIL);

  /* no params at all, and a repeated received collapses into one */
  c = request_from ("REGISTER sip:example.com SIP/2.0\r\n"
                    "Via: SIP/2.0/WS h.invalid\r\n"
                    REQUEST_TAIL, "192.0.2.7", 1);
  assert_response (c, 200, "OK", "t1",
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/WS h.invalid;received=192.0.2.7\r\n"
    RESPONSE_TAIL);
  g_clear_pointer (&c, sws_sip_message_unref);
  c = request_from ("REGISTER sip:example.com SIP/2.0\r\n"
                    "Via: SIP/2.0/WS h.invalid;received=1.1.1.1;received=2.2.2.2;rport\r\n"
                    REQUEST_TAIL, "192.0.2.7", 9);
  assert_response (c, 200, "OK", "t1",
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/WS h.invalid;received=192.0.2.7;rport=9\r\n"
    RESPONSE_TAIL);
}

static void
test_multi_via (void)
{
  g_autoptr(SwsSipMessage) req = request_from (
    "REGISTER sip:example.com SIP/2.0\r\n"
    "Via: SIP/2.0/WS a.invalid;rport;branch=z9hG4bK1 ,SIP/2.0/UDP b.example;rport;branch=z9hG4bK2\r\n"
    "v: SIP/2.0/UDP c.example;branch=z9hG4bK3\r\n"
    REQUEST_TAIL, "192.0.2.7", 5);

  /* only the first element of the first line changes */
  assert_response (req, 401, "Unauthorized", "t1",
    "SIP/2.0 401 Unauthorized\r\n"
    "Via: SIP/2.0/WS a.invalid;rport=5;branch=z9hG4bK1;received=192.0.2.7 ,SIP/2.0/UDP b.example;rport;branch=z9hG4bK2\r\n"
    "Via: SIP/2.0/UDP c.example;branch=z9hG4bK3\r\n"
    RESPONSE_TAIL);
}

static void
test_append_via_line (void)
{
  g_autoptr(SwsSipMessage) req = request_from (
    "OPTIONS sip:example.com SIP/2.0\r\n"
    "Via: SIP/2.0/WS a.invalid;rport;branch=z9hG4bK1\r\n"
    "Via: SIP/2.0/UDP b.example;rport;branch=z9hG4bK2,\r\n SIP/2.0/UDP c.example\r\n"
    "From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>\r\n"
    "Call-ID: x\r\nCSeq: 1 OPTIONS\r\n\r\n", "192.0.2.1", 2);
  g_autoptr(GString) s = g_string_new (NULL);

  /* as the proxy uses it: only the first Via line is completed */
  sws_sip_append_via_line (s, req, &req->headers[0]);
  sws_sip_append_via_line (s, req, &req->headers[1]);
  g_assert_cmpstr (s->str, ==,
                   "Via: SIP/2.0/WS a.invalid;rport=2;branch=z9hG4bK1;received=192.0.2.1\r\n"
                   "Via: SIP/2.0/UDP b.example;rport;branch=z9hG4bK2, SIP/2.0/UDP c.example\r\n");
}

static void
test_no_source (void)
{
  g_autoptr(SwsSipMessage) req = request_from (
    "REGISTER sip:example.com SIP/2.0\r\n"
    "Via: SIP/2.0/WSS df7jal23ls0d.invalid;rport;branch=z9hG4bKabc\r\n"
    REQUEST_TAIL, NULL, 0);

  assert_response (req, 200, "OK", "t1",
    "SIP/2.0 200 OK\r\n"
    "Via: SIP/2.0/WSS df7jal23ls0d.invalid;rport;branch=z9hG4bKabc\r\n"
    RESPONSE_TAIL);
}

static void
test_to_tag_rule (void)
{
  g_autoptr(SwsSipMessage) req = request_from (
    "OPTIONS sip:example.com SIP/2.0\r\n"
    "Via: SIP/2.0/WS a.invalid;branch=z9hG4bK1\r\n"
    "From: <sip:a@example.com>;tag=1\r\n"
    "To: sip:b@example.com\r\n"
    "Call-ID: x\r\nCSeq: 1 OPTIONS\r\n\r\n", "192.0.2.1", 2);
  g_autoptr(SwsSipMessage) tagged = request_from (
    "OPTIONS sip:example.com SIP/2.0\r\n"
    "Via: SIP/2.0/WS a.invalid;branch=z9hG4bK1\r\n"
    "From: <sip:a@example.com>;tag=1\r\n"
    "To: <sip:b@example.com>;tag=existing\r\n"
    "Call-ID: x\r\nCSeq: 1 OPTIONS\r\n\r\n", "192.0.2.1", 2);
  const char *head =
    "Via: SIP/2.0/WS a.invalid;branch=z9hG4bK1;received=192.0.2.1\r\n"
    "From: <sip:a@example.com>;tag=1\r\n";
  g_autofree char *e1 = g_strconcat ("SIP/2.0 200 OK\r\n", head,
                                     "To: sip:b@example.com;tag=zz\r\n"
                                     "Call-ID: x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n", NULL);
  g_autofree char *e2 = g_strconcat ("SIP/2.0 100 Trying\r\n", head,
                                     "To: sip:b@example.com\r\n"
                                     "Call-ID: x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n", NULL);
  g_autofree char *e3 = g_strconcat ("SIP/2.0 404 Not Found\r\n", head,
                                     "To: sip:b@example.com\r\n"
                                     "Call-ID: x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n", NULL);
  g_autofree char *e4 = g_strconcat ("SIP/2.0 486 Busy Here\r\n", head,
                                     "To: <sip:b@example.com>;tag=existing\r\n"
                                     "Call-ID: x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n", NULL);

  assert_response (req, 200, "OK", "zz", e1);
  assert_response (req, 100, "Trying", "zz", e2);
  assert_response (req, 404, "Not Found", NULL, e3);
  assert_response (tagged, 486, "Busy Here", "zz", e4);
}

static void
test_folded_input (void)
{
  g_autoptr(SwsSipMessage) req = request_from (
    "INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0\r\n"
    "TO :\r\n sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n\r\n"
    "from   : \"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\r\n  ;\r\n  tag = 98asjd8\r\n"
    "Call-ID: wsinv.ndaksdj@192.0.2.1\r\n"
    "cseq: 0009\r\n  INVITE\r\n"
    "Via  : SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;rport;branch=390skdjuw\r\n"
    "\r\n", "192.0.2.99", 7);

  assert_response (req, 180, "Ringing", "new",
    "SIP/2.0 180 Ringing\r\n"
    "Via: SIP  /   2.0 /UDP 192.0.2.2;rport=7;branch=390skdjuw;received=192.0.2.99\r\n"
    "From: \"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com> ; tag = 98asjd8\r\n"
    "To: sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n\r\n"
    "Call-ID: wsinv.ndaksdj@192.0.2.1\r\n"
    "CSeq: 0009 INVITE\r\n"
    "Content-Length: 0\r\n\r\n");
}

static void
test_broken_request (void)
{
  g_autoptr(SwsSipMessage) bad_via = request_from (
    "REGISTER sip:example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 192.0.2.15;;,;,,\r\n"
    REQUEST_TAIL, "192.0.2.7", 5);
  g_autoptr(SwsSipMessage) bad_version = request_from (
    "REGISTER sip:example.com SIP/7.0\r\n"
    "Via: SIP/2.0/WS h.invalid;rport;branch=z9hG4bK1\r\n"
    "To: \"Mr. J. User <sip:j.user@example.com>\r\n"
    "From: <sip:a@example.com>;tag=1\r\n"
    "Call-ID: x\r\nCSeq: 1 REGISTER\r\n\r\n", "192.0.2.7", 5);
  g_autoptr(SwsSipMessage) unparsed_to = request_from (
    "REGISTER sip:example.com SIP/7.0\r\n"
    "Via: SIP/2.0/WS h.invalid;branch=z9hG4bK1\r\n"
    "To: <sip:j.user@example.com>\r\n"
    "From: <sip:a@example.com>;tag=1\r\n"
    "Call-ID: x\r\nCSeq: 1 REGISTER\r\n\r\n", "192.0.2.7", 5);

  /* the top Via failed to parse: copied raw */
  assert_response (bad_via, 400, "Malformed Via", "t1",
    "SIP/2.0 400 Malformed Via\r\n"
    "Via: SIP/2.0/UDP 192.0.2.15;;,;,,\r\n"
    RESPONSE_TAIL);

  /* the parse stopped at the start line: the writer parses Via and To
   * itself; a To that does not parse is copied without a tag */
  assert_response (bad_version, 505, "Version Not Supported", "t1",
    "SIP/2.0 505 Version Not Supported\r\n"
    "Via: SIP/2.0/WS h.invalid;rport=5;branch=z9hG4bK1;received=192.0.2.7\r\n"
    "From: <sip:a@example.com>;tag=1\r\n"
    "To: \"Mr. J. User <sip:j.user@example.com>\r\n"
    "Call-ID: x\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n");
  assert_response (unparsed_to, 505, "Version Not Supported", "t1",
    "SIP/2.0 505 Version Not Supported\r\n"
    "Via: SIP/2.0/WS h.invalid;branch=z9hG4bK1;received=192.0.2.7\r\n"
    "From: <sip:a@example.com>;tag=1\r\n"
    "To: <sip:j.user@example.com>;tag=t1\r\n"
    "Call-ID: x\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n");
}

static void
test_message_end (void)
{
  GString *s = g_string_new ("MESSAGE sip:bob@example.com SIP/2.0\r\nX: y\r\n");
  g_autoptr(GBytes) bytes = sws_sip_message_end (s, "text/plain", "hi\0!", 4);
  static const char expected[] =
    "MESSAGE sip:bob@example.com SIP/2.0\r\nX: y\r\n"
    "Content-Type: text/plain\r\nContent-Length: 4\r\n\r\nhi\0!";
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  g_autoptr(GBytes) empty = NULL;

  g_assert_cmpmem (data, len, expected, sizeof expected - 1);

  /* no Content-Type without a body */
  empty = sws_sip_message_end (g_string_new ("A\r\n"), "text/plain", NULL, 0);
  data = g_bytes_get_data (empty, &len);
  g_assert_cmpmem (data, len, "A\r\nContent-Length: 0\r\n\r\n", 24);
}

static void
test_extra_headers (void)
{
  g_autoptr(SwsSipMessage) req = request_from (
    "REGISTER sip:example.com SIP/2.0\r\n"
    "Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bKabc\r\n"
    REQUEST_TAIL, "192.0.2.7", 50123);
  GString *s = sws_sip_response_begin (req, 200, "OK", "t1");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SwsSipMessage) parsed = NULL;

  g_string_append (s, "Contact: <sip:alice@df7jal23ls0d.invalid;transport=ws>;expires=600\r\nDate: ");
  sws_sip_append_date (s, 1795600800);
  g_string_append (s, "\r\n");
  bytes = sws_sip_message_end (s, NULL, NULL, 0);

  /* what we write, we read back */
  g_assert_true (sws_sip_message_parse (bytes, &parsed, NULL));
  g_assert_false (parsed->is_request);
  g_assert_cmpuint (parsed->status, ==, 200);
  g_assert_cmpuint (parsed->cseq, ==, 2);
  g_assert_cmpmem (parsed->to.tag.p, parsed->to.tag.len, "t1", 2);
  g_assert_cmpmem (parsed->top_via.received.p, parsed->top_via.received.len, "192.0.2.7", 9);
  g_assert_cmpmem (sws_sip_message_find (parsed, SWS_HDR_DATE)->value.p,
                   sws_sip_message_find (parsed, SWS_HDR_DATE)->value.len,
                   "Wed, 25 Nov 2026 10:00:00 GMT", 29);
}

static void
assert_date (gint64 t, const char *expected)
{
  g_autoptr(GString) s = g_string_new ("Date: ");

  sws_sip_append_date (s, t);
  g_assert_true (g_str_has_prefix (s->str, "Date: "));
  g_assert_cmpstr (s->str + 6, ==, expected);
}

static void
test_date (void)
{
  assert_date (0, "Thu, 01 Jan 1970 00:00:00 GMT");
  assert_date (951782400, "Tue, 29 Feb 2000 00:00:00 GMT");
  assert_date (1795600800, "Wed, 25 Nov 2026 10:00:00 GMT");
  assert_date (2147483648, "Tue, 19 Jan 2038 03:14:08 GMT");
  assert_date (253402300799, "Fri, 31 Dec 9999 23:59:59 GMT");
  /* out of range falls back to the epoch rather than garbage */
  assert_date (G_MAXINT64, "Thu, 01 Jan 1970 00:00:00 GMT");
}

static void
test_date_locale (void)
{
  static const char *locales[] = {
    "fr_FR.UTF-8", "fr_FR.utf8", "de_DE.UTF-8", "es_ES.UTF-8", "ja_JP.UTF-8",
  };
  g_autofree char *saved = g_strdup (setlocale (LC_ALL, NULL));
  const char *used = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (locales) && used == NULL; i++)
    used = setlocale (LC_ALL, locales[i]);
  if (used == NULL)
    g_test_message ("no non-C locale installed; checking English output only");

  assert_date (1795600800, "Wed, 25 Nov 2026 10:00:00 GMT");
  assert_date (1000000000, "Sun, 09 Sep 2001 01:46:40 GMT");
  assert_date (1715000000, "Mon, 06 May 2024 12:53:20 GMT");

  setlocale (LC_ALL, saved);
}

static void
test_tags_unique (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 10000; i++)
    {
      char tag[17];

      sws_sip_make_tag (tag);
      g_assert_cmpuint (strlen (tag), ==, 16);
      for (guint j = 0; j < 16; j++)
        g_assert_true (g_ascii_isxdigit (tag[j]));
      g_assert_true (g_hash_table_add (seen, g_strdup (tag)));
    }
}

static void
test_date_cache (void)
{
  g_autoptr(GString) a = g_string_new (NULL);
  g_autoptr(GString) b = g_string_new (NULL);

  /* the per-second cache must follow the clock it is given */
  sws_sip_append_date (a, 1795591569);
  sws_sip_append_date (b, 1795591570);
  g_assert_cmpstr (a->str, !=, b->str);
  g_string_truncate (a, 0);
  sws_sip_append_date (a, 1795591570);
  g_assert_cmpstr (a->str, ==, b->str);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sws/writer/sample", test_sample);
  g_test_add_func ("/sws/writer/received-rport", test_received_rport);
  g_test_add_func ("/sws/writer/multi-via", test_multi_via);
  g_test_add_func ("/sws/writer/append-via-line", test_append_via_line);
  g_test_add_func ("/sws/writer/no-source", test_no_source);
  g_test_add_func ("/sws/writer/to-tag", test_to_tag_rule);
  g_test_add_func ("/sws/writer/folded-input", test_folded_input);
  g_test_add_func ("/sws/writer/broken-request", test_broken_request);
  g_test_add_func ("/sws/writer/message-end", test_message_end);
  g_test_add_func ("/sws/writer/extra-headers", test_extra_headers);
  g_test_add_func ("/sws/writer/date", test_date);
  g_test_add_func ("/sws/writer/date-locale", test_date_locale);

  g_test_add_func ("/sws/writer/tags-unique", test_tags_unique);
  g_test_add_func ("/sws/writer/date-cache", test_date_cache);

  return g_test_run ();
}
