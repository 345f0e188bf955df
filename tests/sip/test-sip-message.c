/* test-sip-message.c: message splitting, core headers and their checks */

#include "sws-sip-message.h"

#include <string.h>

#define assert_str(s, lit) G_STMT_START {                              \
    g_autofree char *_d = sws_str_dup (s);                              \
    g_assert_cmpstr (_d, ==, (lit));                                    \
  } G_STMT_END

/* A REGISTER as a WebSocket client (RFC 7118) sends it. */
#define REGISTER_START "REGISTER sip:example.com SIP/2.0\r\n"
#define REGISTER_CORE                                                   \
  "Via: SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK5467723\r\n"     \
  "Max-Forwards: 70\r\n"                                                \
  "To: <sip:alice@example.com>\r\n"                                     \
  "From: \"Alice\" <sip:alice@example.com>;tag=b3kbq4jsqa\r\n"           \
  "Call-ID: 8idh3u6u3iu1pb3bb6jbv2@example.com\r\n"                     \
  "CSeq: 12 REGISTER\r\n"
#define REGISTER_REST                                                   \
  "Contact: <sip:a7s0ll3m@df7jal23ls0d.invalid;transport=ws>;+sip.ice;reg-id=1;expires=600\r\n" \
  "Expires: 600\r\n"                                                    \
  "Allow: INVITE,ACK,CANCEL,BYE,OPTIONS,MESSAGE\r\n"                    \
  "Supported: path, gruu, outbound\r\n"                                 \
  "User-Agent: JsSIP 3.10.0\r\n"                                        \
  "Content-Length: 0\r\n"                                               \
  "\r\n"
#define REGISTER REGISTER_START REGISTER_CORE REGISTER_REST

static SwsSipMessage *
parse_ok_len (const char *text, gssize len)
{
  g_autoptr(GError) error = NULL;
  SwsSipMessage *msg = NULL;

  if (!sws_sip_message_parse_data (text, len, &msg, &error))
    g_error ("expected message to parse: %s\n%s", error->message, text);
  g_assert_no_error (error);
  g_assert_nonnull (msg);
  return msg;
}

static SwsSipMessage *
parse_ok (const char *text)
{
  return parse_ok_len (text, -1);
}

/* Returns the message kept for the error response, or NULL. */
static SwsSipMessage *
parse_fail_len (const char *text, gssize len, int code, const char *reason)
{
  g_autoptr(GError) error = NULL;
  SwsSipMessage *msg = NULL;

  if (sws_sip_message_parse_data (text, len, &msg, &error))
    g_error ("expected message to fail (%d %s):\n%s", code, reason, text);
  g_assert_error (error, SWS_SIP_ERROR, code);
  if (reason != NULL)
    g_assert_cmpstr (error->message, ==, reason);
  g_assert_null (strchr (error->message, '\r'));
  g_assert_null (strchr (error->message, '\n'));
  return msg;
}

static SwsSipMessage *
parse_fail (const char *text, int code, const char *reason)
{
  return parse_fail_len (text, -1, code, reason);
}

static void
test_register (void)
{
  g_autoptr(SwsSipMessage) msg = parse_ok (REGISTER);
  const SwsHeader *h;
  SwsNameAddr contact;
  SwsStr v;
  gboolean present;
  guint64 expires;

  g_assert_true (msg->is_request);
  g_assert_cmpint (msg->method, ==, SWS_METHOD_REGISTER);
  assert_str (msg->method_str, "REGISTER");
  assert_str (msg->request_uri_text, "sip:example.com");
  assert_str (msg->request_uri.host, "example.com");
  assert_str (msg->top_via.transport, "WSS");
  assert_str (msg->top_via.branch, "z9hG4bK5467723");
  assert_str (msg->from.display, "\"Alice\"");
  assert_str (msg->from.tag, "b3kbq4jsqa");
  g_assert_null (msg->to.tag.p);
  assert_str (msg->to.uri.user, "alice");
  assert_str (msg->call_id, "8idh3u6u3iu1pb3bb6jbv2@example.com");
  g_assert_cmpuint (msg->cseq, ==, 12);
  g_assert_cmpint (msg->cseq_method, ==, SWS_METHOD_REGISTER);
  assert_str (msg->cseq_method_str, "REGISTER");
  g_assert_cmpint (msg->max_forwards, ==, 70);
  g_assert_cmpuint (msg->n_headers, ==, 12);
  g_assert_nonnull (msg->body.p);
  g_assert_cmpuint (msg->body.len, ==, 0);
  g_assert_cmpuint (msg->len, ==, strlen (REGISTER));
  g_assert_true (msg->data[0] == 'R');
  g_assert_cmpstr (msg->source_ip, ==, "");

  h = sws_sip_message_find (msg, SWS_HDR_CONTACT);
  g_assert_nonnull (h);
  g_assert_true (sws_name_addr_parse (h->value, TRUE, &contact, NULL));
  g_assert_true (sws_uri_get_param (&contact.uri, "transport", &v));
  assert_str (v, "ws");
  g_assert_true (sws_params_get (contact.params, "expires", &v));
  assert_str (v, "600");

  g_assert_true (sws_sip_message_get_uint (msg, SWS_HDR_EXPIRES, G_MAXUINT32,
                                           &present, &expires, NULL));
  g_assert_true (present);
  g_assert_cmpuint (expires, ==, 600);

  h = sws_sip_message_find (msg, SWS_HDR_USER_AGENT);
  assert_str (h->value, "JsSIP 3.10.0");
  g_assert_null (sws_sip_message_find (msg, SWS_HDR_ROUTE));
  g_assert_null (sws_sip_message_find (msg, SWS_HDR_OTHER));
}

static void
test_response (void)
{
  g_autoptr(SwsSipMessage) msg = NULL;

  msg = parse_ok ("SIP/2.0 180 Ringing\r\n" REGISTER_CORE "\r\n");
  g_assert_false (msg->is_request);
  g_assert_cmpuint (msg->status, ==, 180);
  assert_str (msg->reason, "Ringing");
  g_assert_null (msg->method_str.p);
  /* a response's CSeq method need not match anything */
  g_assert_cmpint (msg->cseq_method, ==, SWS_METHOD_REGISTER);
  g_clear_pointer (&msg, sws_sip_message_unref);

  msg = parse_ok ("SIP/2.0 404 Not  Found \r\n" REGISTER_CORE "\r\n");
  assert_str (msg->reason, "Not  Found ");
  g_clear_pointer (&msg, sws_sip_message_unref);

  msg = parse_ok ("sip/2.0 200\r\n" REGISTER_CORE "\r\n");
  g_assert_cmpuint (msg->status, ==, 200);
  g_assert_nonnull (msg->reason.p);
  g_assert_cmpuint (msg->reason.len, ==, 0);
}

static void
test_response_codes (void)
{
  static const char *bad[] = { "99", "700", "000", "1000", "20", "abc", "2O0", "-200", "4294967496" };
  static const char *good[] = { "100", "199", "699", "555" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *text = g_strdup_printf ("SIP/2.0 %s Whatever\r\n" REGISTER_CORE "\r\n", bad[i]);
      g_autoptr(SwsSipMessage) msg = parse_fail (text, 400, NULL);

      g_assert_nonnull (msg);
      g_assert_false (msg->is_request);
    }
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autofree char *text = g_strdup_printf ("SIP/2.0 %s Whatever\r\n" REGISTER_CORE "\r\n", good[i]);
      g_autoptr(SwsSipMessage) msg = parse_ok (text);

      g_assert_cmpuint (msg->status, ==, g_ascii_strtoull (good[i], NULL, 10));
    }
}

static void
test_status_line (void)
{
  g_autoptr(SwsSipMessage) msg = NULL;

  msg = parse_fail ("SIP/2.0 200OK\r\n" REGISTER_CORE "\r\n", 400, "Malformed status line");
  g_clear_pointer (&msg, sws_sip_message_unref);
  msg = parse_fail ("SIP/2.0 200 O\x01K\r\n" REGISTER_CORE "\r\n", 400, "Malformed status line");
  g_clear_pointer (&msg, sws_sip_message_unref);
  msg = parse_fail ("SIP/2.0\r\n" REGISTER_CORE "\r\n", 400, "Malformed status line");
  g_clear_pointer (&msg, sws_sip_message_unref);
  msg = parse_fail ("SIP/3.0 200 OK\r\n" REGISTER_CORE "\r\n", 505, "Version Not Supported");
  g_assert_false (msg->is_request);
}

static void
test_compact_forms (void)
{
  g_autoptr(SwsSipMessage) msg = parse_ok (
    "MESSAGE sip:bob@example.com SIP/2.0\r\n"
    "v: SIP/2.0/WS a.invalid;branch=z9hG4bK1\r\n"
    "f: <sip:a@example.com>;tag=1\r\n"
    "t: <sip:bob@example.com>\r\n"
    "i: abc\r\n"
    "CSeq: 3 MESSAGE\r\n"
    "m: <sip:a@a.invalid;transport=ws>\r\n"
    "e: gzip\r\n"
    "c: text/plain\r\n"
    "s: hello\r\n"
    "k: path\r\n"
    "o: presence\r\n"
    "r: <sip:carol@example.com>\r\n"
    "u: dialog\r\n"
    "a: *;audio\r\n"
    "j: *;video\r\n"
    "d: proxy\r\n"
    "x: 1800\r\n"
    "b: <sip:a@example.com>\r\n"
    "y: abc=\r\n"
    "n: <https://example.com/cert>\r\n"
    "l: 5\r\n"
    "\r\n"
    "hello");
  static const SwsHeaderId ids[] = {
    SWS_HDR_VIA, SWS_HDR_FROM, SWS_HDR_TO, SWS_HDR_CALL_ID, SWS_HDR_CSEQ,
    SWS_HDR_CONTACT, SWS_HDR_CONTENT_ENCODING, SWS_HDR_CONTENT_TYPE,
    SWS_HDR_SUBJECT, SWS_HDR_SUPPORTED, SWS_HDR_EVENT, SWS_HDR_REFER_TO,
    SWS_HDR_ALLOW_EVENTS, SWS_HDR_ACCEPT_CONTACT, SWS_HDR_REJECT_CONTACT,
    SWS_HDR_REQUEST_DISPOSITION, SWS_HDR_SESSION_EXPIRES, SWS_HDR_REFERRED_BY,
    SWS_HDR_IDENTITY, SWS_HDR_IDENTITY_INFO, SWS_HDR_CONTENT_LENGTH,
  };

  g_assert_cmpuint (msg->n_headers, ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_assert_cmpint (msg->headers[i].id, ==, ids[i]);
      g_assert_true (sws_sip_message_find (msg, ids[i]) == &msg->headers[i]);
    }
  assert_str (msg->call_id, "abc");
  assert_str (msg->body, "hello");
  assert_str (sws_sip_message_find_name (msg, "Content-Type")->value, "text/plain");
  assert_str (sws_sip_message_find_name (msg, "X")->value, "1800");
}

static void
test_case_and_lws (void)
{
  g_autoptr(SwsSipMessage) msg = parse_ok (
    "OPTIONS sip:example.com SIP/2.0\r\n"
    "vIA  : SIP/2.0/UDP h.example;branch=z9hG4bK1\r\n"
    "FROM\t:<sip:a@example.com>;TAG=x\r\n"
    "tO:<sip:b@example.com>\r\n"
    "cALL-iD:   abc   \r\n"
    "CSEQ :1 OPTIONS\r\n"
    "max-forwards:0\r\n"
    "x-custom-HEADER: Yes\r\n"
    "\r\n");

  assert_str (msg->headers[0].name, "vIA");
  g_assert_cmpint (msg->headers[0].id, ==, SWS_HDR_VIA);
  assert_str (msg->from.tag, "x");
  assert_str (msg->call_id, "abc");
  g_assert_cmpint (msg->max_forwards, ==, 0);
  assert_str (sws_sip_message_find_name (msg, "X-Custom-Header")->value, "Yes");
  assert_str (sws_sip_message_find_name (msg, "CALL-ID")->value, "abc");
  g_assert_null (sws_sip_message_find_name (msg, "X-Other"));
}

static void
test_folding (void)
{
  g_autoptr(SwsSipMessage) msg = parse_ok (
    "INVITE sip:bob@example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP\r\n h.example\r\n\t;branch=z9hG4bK1\r\n"
    "From:\r\n <sip:a@example.com>\r\n  ;tag=x\r\n"
    "To: <sip:bob@example.com>\r\n"
    "Call-ID:\r\n abc\r\n"
    "CSeq: 1\r\n INVITE\r\n"
    "Subject: first\r\n second\r\n\tthird\r\n"
    "\r\n");
  const SwsHeader *h = sws_sip_message_find (msg, SWS_HDR_SUBJECT);

  g_assert_cmpuint (msg->n_headers, ==, 6);
  assert_str (h->value, "first\r\n second\r\n\tthird");
  assert_str (msg->top_via.host, "h.example");
  assert_str (msg->top_via.branch, "z9hG4bK1");
  assert_str (msg->from.tag, "x");
  assert_str (msg->call_id, "abc");
  g_assert_cmpint (msg->cseq_method, ==, SWS_METHOD_INVITE);
}

static void
test_multi_value (void)
{
  g_autoptr(SwsSipMessage) msg = parse_ok (
    "INVITE sip:bob@example.com SIP/2.0\r\n"
    "Via: SIP/2.0/WS a.invalid;branch=z9hG4bK1 , SIP/2.0/UDP b.example;branch=z9hG4bK2\r\n"
    "Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\n"
    "From: <sip:a@example.com>;tag=x\r\n"
    "Via: SIP/2.0/UDP c.example;branch=z9hG4bK3\r\n"
    "To: <sip:bob@example.com>\r\n"
    "Contact: <sip:a@a.invalid>, \"x, y\" <sip:c@d.example>;q=0.5\r\n"
    "Route: <sip:p3.example.com;lr>\r\n"
    "Call-ID: abc\r\n"
    "m: sip:e@f.example\r\n"
    "Route:\r\n"
    "CSeq: 1 INVITE\r\n"
    "\r\n");
  static const char *vias[] = { "a.invalid", "b.example", "c.example" };
  static const char *contacts[] = { "sip:a@a.invalid", "sip:c@d.example", "sip:e@f.example" };
  static const char *routes[] = { "p1.example.com", "p2.example.com", "p3.example.com" };
  SwsValueIter iter;
  SwsStr v;
  guint n;

  assert_str (msg->top_via.host, "a.invalid");
  assert_str (msg->top_via.whole, "SIP/2.0/WS a.invalid;branch=z9hG4bK1");

  n = 0;
  sws_value_iter_init (&iter, msg, SWS_HDR_VIA);
  while (sws_value_iter_next (&iter, &v))
    {
      SwsVia via;

      g_assert_true (sws_via_parse (v, &via, NULL));
      assert_str (via.host, vias[n++]);
    }
  g_assert_cmpuint (n, ==, 3);

  n = 0;
  sws_value_iter_init (&iter, msg, SWS_HDR_CONTACT);
  while (sws_value_iter_next (&iter, &v))
    {
      SwsNameAddr na;

      g_assert_true (sws_name_addr_parse (v, TRUE, &na, NULL));
      assert_str (na.uri_text, contacts[n++]);
    }
  g_assert_cmpuint (n, ==, 3);

  n = 0;
  sws_value_iter_init (&iter, msg, SWS_HDR_ROUTE);
  while (sws_value_iter_next (&iter, &v))
    {
      SwsNameAddr na;

      g_assert_true (sws_name_addr_parse (v, FALSE, &na, NULL));
      assert_str (na.uri.host, routes[n++]);
    }
  g_assert_cmpuint (n, ==, 3);

  sws_value_iter_init (&iter, msg, SWS_HDR_RECORD_ROUTE);
  g_assert_false (sws_value_iter_next (&iter, &v));
}

static void
test_line_ends (void)
{
  g_autoptr(SwsSipMessage) msg = NULL;
  g_autoptr(SwsSipMessage) msg2 = NULL;
  g_autoptr(SwsSipMessage) msg3 = NULL;

  msg = parse_ok ("REGISTER sip:example.com SIP/2.0\n"
                  "Via: SIP/2.0/WS a.invalid;branch=z9hG4bK1\n"
                  "From: <sip:a@example.com>;tag=x\n"
                  "To: <sip:a@example.com>\n"
                  "Call-ID: abc\n"
                  "Subject: a\n b\n"
                  "CSeq: 1 REGISTER\r\n"
                  "Content-Length: 4\n"
                  "\n"
                  "body");
  g_assert_cmpuint (msg->n_headers, ==, 7);
  assert_str (msg->body, "body");
  assert_str (sws_sip_message_find (msg, SWS_HDR_SUBJECT)->value, "a\n b");

  /* §7.5: CRLFs before the start line are ignored */
  msg2 = parse_ok ("\r\n\r\n\n" REGISTER);
  g_assert_true (msg2->data[0] == 'R');
  g_assert_cmpuint (msg2->len, ==, strlen (REGISTER));

  /* no empty line at all (RFC 4475 baddn): the headers end with the data */
  msg3 = parse_ok (REGISTER_START REGISTER_CORE);
  g_assert_cmpuint (msg3->n_headers, ==, 6);
  g_assert_cmpuint (msg3->body.len, ==, 0);
  g_clear_pointer (&msg3, sws_sip_message_unref);
  msg3 = parse_ok (REGISTER_START REGISTER_CORE "Subject: no line end");
  assert_str (sws_sip_message_find (msg3, SWS_HDR_SUBJECT)->value, "no line end");
}

static void
test_nul_bytes (void)
{
  static const char with_nul[] =
    REGISTER_START REGISTER_CORE "X-Bin: a\0b\r\nContent-Length: 3\r\n\r\na\0b";
  g_autoptr(SwsSipMessage) msg = parse_ok_len (with_nul, sizeof with_nul - 1);
  const SwsHeader *h = sws_sip_message_find_name (msg, "x-bin");
  SwsSipMessage *m;

  g_assert_cmpmem (h->value.p, h->value.len, "a\0b", 3);
  g_assert_cmpmem (msg->body.p, msg->body.len, "a\0b", 3);

  m = parse_fail_len ("REGISTER sip:exa\0mple.com SIP/2.0\r\n" REGISTER_CORE "\r\n",
                      35 + strlen (REGISTER_CORE) + 2, 400, "Malformed Request-URI");
  sws_sip_message_unref (m);
  m = parse_fail_len ("\0", 1, 400, NULL);
  g_assert_null (m);
  m = parse_fail_len (REGISTER_START "Vi\0a: x\r\n" REGISTER_CORE "\r\n",
                      strlen (REGISTER_START) + 9 + strlen (REGISTER_CORE) + 2,
                      400, "Malformed header");
  g_assert_nonnull (m);
  g_assert_cmpint (m->first[SWS_HDR_VIA], ==, 0);
  sws_sip_message_unref (m);
  m = parse_fail_len (REGISTER_START "Call-ID: a\0b\r\n" "\r\n",
                      strlen (REGISTER_START) + 14 + 2, 400, "Missing Via");
  sws_sip_message_unref (m);
}

static void
test_garbage_start (void)
{
  g_autoptr(SwsSipMessage) msg = NULL;

  g_assert_null (parse_fail ("", 400, "Empty message"));
  g_assert_null (parse_fail ("\r\n\r\n", 400, "Empty message"));
  g_assert_null (parse_fail ("hello", 400, "Malformed request line"));
  g_assert_null (parse_fail ("INVITE\r\n" REGISTER_CORE "\r\n", 400, "Malformed request line"));
  g_assert_null (parse_fail ("INVITE sip:a@b.example\r\n" REGISTER_CORE, 400, "Malformed request line"));
  /* no line end at all: split, but nothing in it */
  msg = parse_fail ("OPTIONS sip:a@b.example SIP/2.0", 400, "Missing Via");
  g_assert_nonnull (msg);
  g_assert_cmpuint (msg->n_headers, ==, 0);
  g_assert_cmpuint (msg->body.len, ==, 0);
  g_clear_pointer (&msg, sws_sip_message_unref);
  /* a continuation line cannot come first */
  g_assert_null (parse_fail (REGISTER_START " folded\r\n" REGISTER_CORE, 400, "Malformed header section"));
}

static void
test_request_line (void)
{
  g_autoptr(SwsSipMessage) msg = NULL;

  msg = parse_ok ("REGISTER  sip:example.com \t SIP/2.0  \r\n" REGISTER_CORE "\r\n");
  assert_str (msg->request_uri_text, "sip:example.com");
  g_clear_pointer (&msg, sws_sip_message_unref);

  msg = parse_ok ("REGISTER sip:example.com sip/2.0\r\n" REGISTER_CORE "\r\n");
  g_clear_pointer (&msg, sws_sip_message_unref);

  msg = parse_fail ("REGISTER sip:example.com SIP/2.1\r\n" REGISTER_CORE "\r\n",
                    505, "Version Not Supported");
  g_assert_true (msg->is_request);
  g_assert_cmpint (msg->method, ==, SWS_METHOD_REGISTER);
  g_clear_pointer (&msg, sws_sip_message_unref);

  msg = parse_fail ("REGISTER sip:example.com HTTP/1.1\r\n" REGISTER_CORE "\r\n",
                    505, "Version Not Supported");
  g_clear_pointer (&msg, sws_sip_message_unref);
  msg = parse_fail ("REGISTER <sip:example.com> SIP/2.0\r\n" REGISTER_CORE "\r\n",
                    400, "Malformed Request-URI");
  g_clear_pointer (&msg, sws_sip_message_unref);
  msg = parse_fail ("REGISTER sip:example.com; lr SIP/2.0\r\n" REGISTER_CORE "\r\n",
                    400, "Malformed Request-URI");
  g_clear_pointer (&msg, sws_sip_message_unref);
  msg = parse_fail ("REGISTER sip:example.com?Route=x SIP/2.0\r\n" REGISTER_CORE "\r\n",
                    400, "Headers not allowed in Request-URI");
  g_clear_pointer (&msg, sws_sip_message_unref);
  msg = parse_fail ("REG@ISTER sip:example.com SIP/2.0\r\n" REGISTER_CORE "\r\n",
                    400, "Malformed request line");
  g_clear_pointer (&msg, sws_sip_message_unref);

  /* method names are case-sensitive: "register" is unknown and its CSeq
   * must still be copied, not rejected */
  msg = parse_ok ("register sip:example.com SIP/2.0\r\n"
                  "Via: SIP/2.0/WS a.invalid;branch=z9hG4bK1\r\n"
                  "From: <sip:a@example.com>;tag=x\r\nTo: <sip:a@example.com>\r\n"
                  "Call-ID: abc\r\nCSeq: 1 register\r\n\r\n");
  g_assert_cmpint (msg->method, ==, SWS_METHOD_UNKNOWN);
  g_clear_pointer (&msg, sws_sip_message_unref);

  /* unsupported schemes are the server's business (416) */
  msg = parse_ok ("REGISTER urn:service:sos SIP/2.0\r\n" REGISTER_CORE "\r\n");
  g_assert_cmpint (msg->request_uri.scheme, ==, SWS_URI_SCHEME_OTHER);
}

static void
test_missing_headers (void)
{
  static const struct { const char *drop; const char *reason; } cases[] = {
    { "Via:", "Missing Via" },
    { "From:", "Missing From" },
    { "To:", "Missing To" },
    { "Call-ID:", "Missing Call-ID" },
    { "CSeq:", "Missing CSeq" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GStrv) lines = g_strsplit (REGISTER, "\r\n", -1);
      g_autoptr(GString) text = g_string_new (NULL);
      g_autoptr(SwsSipMessage) msg = NULL;

      for (guint j = 0; lines[j] && lines[j + 1]; j++)
        if (!g_str_has_prefix (lines[j], cases[i].drop))
          g_string_append_printf (text, "%s\r\n", lines[j]);
      msg = parse_fail (text->str, 400, cases[i].reason);
      g_assert_nonnull (msg);
    }
}

static void
test_malformed_core (void)
{
  static const struct { const char *hdrs; const char *reason; } cases[] = {
    { "Via: SIP/2.0/WS\r\n", "Malformed Via" },
    { "Via:\r\n", "Malformed Via" },
    { "Via: , SIP/2.0/WS a.invalid\r\n", "Malformed Via" },
    { "From: <sip:a@example.com\r\n", "Malformed From" },
    { "From: sip:a@example.com, sip:b@example.com\r\n", "Malformed From" },
    { "From: *\r\n", "Malformed From" },
    { "To: Bob Smith sip:b@example.com\r\n", "Malformed To" },
    { "Call-ID: a b\r\n", "Malformed Call-ID" },
    { "Call-ID: a@b@c\r\n", "Malformed Call-ID" },
    { "Call-ID: @b\r\n", "Malformed Call-ID" },
    { "Call-ID: a,b\r\n", "Malformed Call-ID" },
    { "Call-ID:\r\n", "Malformed Call-ID" },
    { "CSeq: 4294967296 REGISTER\r\n", "Malformed CSeq" },
    { "CSeq: 1 INVITE\r\n", "CSeq method does not match request method" },
    { "CSeq: 1 register\r\n", "CSeq method does not match request method" },
    { "Max-Forwards: 256\r\n", "Malformed Max-Forwards" },
    { "Max-Forwards: -1\r\n", "Malformed Max-Forwards" },
    { "Max-Forwards: 7 0\r\n", "Malformed Max-Forwards" },
    { "Content-Type: a/b, c/d\r\n", "Multiple Content-Type values" },
    { "Expires: 1, 2\r\n", "Multiple Expires values" },
    { "To: <sip:c@example.com>\r\n", "Multiple To headers" },
    { "i: other\r\n", "Multiple Call-ID headers" },
    { "Bad Name: x\r\n", "Malformed header" },
    { "NoColon\r\n", "Malformed header" },
    { ": novalue\r\n", "Malformed header" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      /* later same-id lines are ignored by find(), so put the broken one
       * first, except for the duplicate checks */
      g_autofree char *text = NULL;
      g_autoptr(SwsSipMessage) msg = NULL;
      const char *core = REGISTER_CORE;

      if (g_str_has_prefix (cases[i].reason, "Multiple") ||
          g_str_has_prefix (cases[i].reason, "Malformed header"))
        text = g_strconcat (REGISTER_START, core, cases[i].hdrs, "\r\n", NULL);
      else
        {
          /* replace the core line of the same name */
          g_auto(GStrv) lines = g_strsplit (core, "\r\n", -1);
          g_autoptr(GString) s = g_string_new (REGISTER_START);
          gsize name_len = strcspn (cases[i].hdrs, ":");

          g_string_append (s, cases[i].hdrs);
          for (guint j = 0; lines[j] && *lines[j]; j++)
            if (strcspn (lines[j], ":") != name_len ||
                g_ascii_strncasecmp (lines[j], cases[i].hdrs, name_len) != 0)
              g_string_append_printf (s, "%s\r\n", lines[j]);
          g_string_append (s, "\r\n");
          text = g_string_free (g_steal_pointer (&s), FALSE);
        }
      msg = parse_fail (text, 400, cases[i].reason);
      g_assert_nonnull (msg);
    }
}

static void
test_content_length (void)
{
  g_autoptr(SwsSipMessage) msg = NULL;

  msg = parse_ok (REGISTER_START REGISTER_CORE "Content-Length: 5\r\n\r\nhello world");
  assert_str (msg->body, "hello");
  g_assert_cmpuint (msg->len, ==, strlen (REGISTER_START REGISTER_CORE "Content-Length: 5\r\n\r\nhello"));
  g_clear_pointer (&msg, sws_sip_message_unref);

  /* without Content-Length the body is the rest of the WebSocket message */
  msg = parse_ok (REGISTER_START REGISTER_CORE "\r\nhello world");
  assert_str (msg->body, "hello world");
  g_clear_pointer (&msg, sws_sip_message_unref);

  msg = parse_ok (REGISTER_START REGISTER_CORE "l:   00011 \r\n\r\nhello world");
  assert_str (msg->body, "hello world");
  g_clear_pointer (&msg, sws_sip_message_unref);

  msg = parse_fail (REGISTER_START REGISTER_CORE "Content-Length: 12\r\n\r\nhello world",
                    400, "Content-Length exceeds message size");
  g_assert_nonnull (msg);
  g_clear_pointer (&msg, sws_sip_message_unref);
  msg = parse_fail (REGISTER_START REGISTER_CORE "Content-Length: 1\r\n", 400,
                    "Content-Length exceeds message size");
  g_clear_pointer (&msg, sws_sip_message_unref);
  msg = parse_fail (REGISTER_START REGISTER_CORE "Content-Length: -1\r\n\r\n", 400,
                    "Malformed Content-Length");
  g_clear_pointer (&msg, sws_sip_message_unref);
  msg = parse_fail (REGISTER_START REGISTER_CORE "Content-Length: 99999999999999999999999\r\n\r\n",
                    400, "Malformed Content-Length");
  g_clear_pointer (&msg, sws_sip_message_unref);
  msg = parse_fail (REGISTER_START REGISTER_CORE "Content-Length: 0x10\r\n\r\n", 400,
                    "Malformed Content-Length");
  g_clear_pointer (&msg, sws_sip_message_unref);
  msg = parse_fail (REGISTER_START REGISTER_CORE "Content-Length: 0\r\nl: 0\r\n\r\n", 400,
                    "Multiple Content-Length headers");
}

static void
test_max_forwards (void)
{
  g_autoptr(SwsSipMessage) msg = NULL;

  msg = parse_ok (REGISTER_START REGISTER_CORE "\r\n");
  g_assert_cmpint (msg->max_forwards, ==, 70);
  g_clear_pointer (&msg, sws_sip_message_unref);

  msg = parse_ok ("SIP/2.0 200 OK\r\nVia: SIP/2.0/WS a.invalid\r\n"
                  "From: <sip:a@example.com>;tag=1\r\nTo: <sip:a@example.com>\r\n"
                  "Call-ID: x\r\nCSeq: 1 REGISTER\r\n\r\n");
  g_assert_cmpint (msg->max_forwards, ==, -1);
  g_clear_pointer (&msg, sws_sip_message_unref);

  msg = parse_ok (REGISTER_START
                  "Max-Forwards: 255\r\n"
                  "Via: SIP/2.0/WS a.invalid\r\n"
                  "From: <sip:a@example.com>;tag=1\r\nTo: <sip:a@example.com>\r\n"
                  "Call-ID: x\r\nCSeq: 1 REGISTER\r\n\r\n");
  g_assert_cmpint (msg->max_forwards, ==, 255);
}

static void
test_get_uint (void)
{
  g_autoptr(SwsSipMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  gboolean present = TRUE;
  guint64 v = 42;

  msg = parse_ok (REGISTER_START REGISTER_CORE "\r\n");
  g_assert_true (sws_sip_message_get_uint (msg, SWS_HDR_EXPIRES, G_MAXUINT32, &present, &v, &error));
  g_assert_no_error (error);
  g_assert_false (present);
  g_assert_cmpuint (v, ==, 42);
  g_clear_pointer (&msg, sws_sip_message_unref);

  msg = parse_ok (REGISTER_START REGISTER_CORE "Expires: 4294967295\r\nMin-Expires: 60\r\n\r\n");
  g_assert_true (sws_sip_message_get_uint (msg, SWS_HDR_EXPIRES, G_MAXUINT32, &present, &v, &error));
  g_assert_true (present);
  g_assert_cmpuint (v, ==, G_MAXUINT32);
  g_assert_false (sws_sip_message_get_uint (msg, SWS_HDR_EXPIRES, 3600, &present, &v, &error));
  g_assert_error (error, SWS_SIP_ERROR, 400);
  g_assert_cmpstr (error->message, ==, "Malformed Expires");
  g_clear_error (&error);
  g_clear_pointer (&msg, sws_sip_message_unref);

  /* overflow (RFC 4475 scalar02) */
  msg = parse_ok (REGISTER_START REGISTER_CORE
                  "Expires: 10000000000000000000000000000000000000000\r\n\r\n");
  g_assert_false (sws_sip_message_get_uint (msg, SWS_HDR_EXPIRES, G_MAXUINT32, &present, &v, &error));
  g_assert_error (error, SWS_SIP_ERROR, 400);
  g_clear_error (&error);
  g_clear_pointer (&msg, sws_sip_message_unref);

  msg = parse_ok (REGISTER_START REGISTER_CORE "Expires: soon\r\n\r\n");
  g_assert_false (sws_sip_message_get_uint (msg, SWS_HDR_EXPIRES, G_MAXUINT32, NULL, NULL, &error));
  g_assert_error (error, SWS_SIP_ERROR, 400);
  g_clear_error (&error);
  g_clear_pointer (&msg, sws_sip_message_unref);

  /* repeated: the message already fails, get_uint says why too */
  msg = parse_fail (REGISTER_START REGISTER_CORE "Expires: 60\r\nExpires: 60\r\n\r\n",
                    400, "Multiple Expires headers");
  g_assert_false (sws_sip_message_get_uint (msg, SWS_HDR_EXPIRES, G_MAXUINT32, &present, &v, &error));
  g_assert_error (error, SWS_SIP_ERROR, 400);
  g_assert_cmpstr (error->message, ==, "Multiple Expires headers");
  g_clear_error (&error);
  g_clear_pointer (&msg, sws_sip_message_unref);

  msg = parse_ok (REGISTER_START REGISTER_CORE "Min-Expires: 60\r\nMin-Expires: 70\r\n\r\n");
  g_assert_false (sws_sip_message_get_uint (msg, SWS_HDR_MIN_EXPIRES, G_MAXUINT32, &present, &v, &error));
  g_assert_cmpstr (error->message, ==, "Multiple Min-Expires headers");
}

static void
test_too_large (void)
{
  gsize head_len = strlen (REGISTER_START REGISTER_CORE);
  gsize body_len = SWS_SIP_MAX_MESSAGE_SIZE - head_len - 26;
  g_autoptr(GString) s = g_string_new (REGISTER_START REGISTER_CORE);
  g_autoptr(SwsSipMessage) msg = NULL;

  g_string_append_printf (s, "Content-Length: %6" G_GSIZE_FORMAT "\r\n\r\n", body_len);
  g_assert_cmpuint (s->len, ==, head_len + 26);
  for (gsize i = 0; i < body_len; i++)
    g_string_append_c (s, 'x');
  g_assert_cmpuint (s->len, ==, SWS_SIP_MAX_MESSAGE_SIZE);
  msg = parse_ok_len (s->str, (gssize) s->len);
  g_assert_cmpuint (msg->body.len, ==, body_len);
  g_clear_pointer (&msg, sws_sip_message_unref);

  /* one octet more: 513, and the headers are still there to answer */
  g_string_append_c (s, 'x');
  msg = parse_fail_len (s->str, (gssize) s->len, 513, "Message Too Large");
  g_assert_nonnull (msg);
  assert_str (msg->call_id, "8idh3u6u3iu1pb3bb6jbv2@example.com");
  g_clear_pointer (&msg, sws_sip_message_unref);

  /* no end of the header section within the limit: nothing to answer */
  g_string_truncate (s, 0);
  g_string_append (s, REGISTER_START REGISTER_CORE);
  while (s->len <= SWS_SIP_MAX_MESSAGE_SIZE)
    g_string_append (s, "X-Padding: 0123456789012345678901234567890123456789\r\n");
  msg = parse_fail_len (s->str, (gssize) s->len, 513, "Message Too Large");
  g_assert_null (msg);
}

static void
test_many_headers (void)
{
  g_autoptr(GString) s = g_string_new (REGISTER_START);
  g_autoptr(SwsSipMessage) msg = NULL;
  SwsValueIter iter;
  guint n = 0;
  SwsStr v;

  for (guint i = 0; i < 1200; i++)
    g_string_append_printf (s, "X-H%u: %u\r\nVia: SIP/2.0/UDP h%u.example\r\n", i, i, i);
  g_string_append (s, REGISTER_CORE "\r\n");
  msg = parse_ok_len (s->str, (gssize) s->len);
  g_assert_cmpuint (msg->n_headers, ==, 2406);
  assert_str (msg->top_via.host, "h0.example");
  assert_str (sws_sip_message_find_name (msg, "x-h1199")->value, "1199");
  sws_value_iter_init (&iter, msg, SWS_HDR_VIA);
  while (sws_value_iter_next (&iter, &v))
    n++;
  g_assert_cmpuint (n, ==, 1201);
  g_clear_pointer (&msg, sws_sip_message_unref);

  /* as many header lines as 64 KiB can hold */
  g_string_assign (s, REGISTER_START REGISTER_CORE);
  while (s->len + 3 < SWS_SIP_MAX_MESSAGE_SIZE)
    g_string_append (s, "a:\n");
  msg = parse_ok_len (s->str, (gssize) s->len);
  g_assert_cmpuint (msg->n_headers, >, 21000);
  g_assert_cmpint (msg->headers[msg->n_headers - 1].id, ==, SWS_HDR_ACCEPT_CONTACT);
}

static void
test_refcount_and_source (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new (REGISTER, strlen (REGISTER));
  g_autoptr(GError) error = NULL;
  SwsSipMessage *msg = NULL, *ref;

  g_assert_true (sws_sip_message_parse (bytes, &msg, &error));
  g_clear_pointer (&bytes, g_bytes_unref);
  ref = sws_sip_message_ref (msg);
  g_assert_true (ref == msg);
  sws_sip_message_unref (msg);
  /* the message keeps the bytes alive */
  assert_str (ref->call_id, "8idh3u6u3iu1pb3bb6jbv2@example.com");

  sws_sip_message_set_source (ref, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff", 5060);
  g_assert_cmpstr (ref->source_ip, ==, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff");
  g_assert_cmpuint (ref->source_port, ==, 5060);
  sws_sip_message_set_source (ref, "0123456789012345678901234567890123456789012345678901234567890", 1);
  g_assert_cmpuint (strlen (ref->source_ip), ==, sizeof ref->source_ip - 1);
  sws_sip_message_set_source (ref, NULL, 0);
  g_assert_cmpstr (ref->source_ip, ==, "");
  sws_sip_message_unref (ref);
  sws_sip_message_unref (NULL);
}

/* Every prefix of a valid message, in an exactly sized buffer, either
 * parses or fails cleanly (valgrind sees any overread). */
static void
test_truncated (void)
{
  static const char *samples[] = {
    REGISTER,
    "INVITE sip:bob@[2001:db8::1]:5060;transport=ws SIP/2.0\r\n"
    "Via: SIP  /  2.0\r\n /WS a.invalid;branch=z9hG4bK1;rport, SIP/2.0/UDP b.example\r\n"
    "From: \"A \\\"q\\\"\" <sip:a@example.com>;tag=1\r\nt: b <sip:b@example.com>\r\n"
    "i: x@y\r\nCSeq: 1 INVITE\r\nContact: *\r\nl: 3\r\n\r\nabc",
    "SIP/2.0 200 OK\nVia: SIP/2.0/WS a.invalid\nf: <sip:a@b.example>;tag=1\n"
    "t: sip:c@d.example;tag=2\ni: x\nCSeq: 1 OPTIONS\n\n",
  };

  for (guint s = 0; s < G_N_ELEMENTS (samples); s++)
    {
      gsize len = strlen (samples[s]);

      for (gsize i = 0; i <= len; i++)
        {
          g_autoptr(GBytes) bytes = g_bytes_new (samples[s], i);
          g_autoptr(SwsSipMessage) msg = NULL;
          g_autoptr(GError) error = NULL;
          gboolean ok = sws_sip_message_parse (bytes, &msg, &error);

          g_assert_true (ok == (error == NULL));
          if (ok)
            g_assert_cmpuint (msg->len, <=, i);
          if (i == len)
            g_assert_true (ok);
        }
    }
}

/* Random mutations of valid messages never crash and errors stay well
 * formed. */
static void
test_fuzz (void)
{
  static const char *seeds[] = {
    REGISTER,
    "SIP/2.0 401 Unauthorized\r\nVia: SIP/2.0/WSS a.invalid;branch=z9hG4bK1;received=192.0.2.1;rport=1\r\n"
    "From: <sip:a@example.com>;tag=1\r\nTo: <sip:a@example.com>;tag=2\r\nCall-ID: x\r\n"
    "CSeq: 1 REGISTER\r\nWWW-Authenticate: Digest realm=\"example.com\", nonce=\"abc\"\r\n"
    "Content-Length: 0\r\n\r\n",
  };
  const char alphabet[] = "\r\n \t:;,<>\"\\@%=/0?[]\0x";
  GRand *rand = g_rand_new_with_seed (4475);

  for (guint round = 0; round < 20000; round++)
    {
      const char *seed = seeds[round % G_N_ELEMENTS (seeds)];
      gsize len = strlen (seed);
      g_autofree char *buf = g_memdup2 (seed, len);
      guint n_mut = g_rand_int_range (rand, 1, 6);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(SwsSipMessage) msg = NULL;
      g_autoptr(GError) error = NULL;

      for (guint m = 0; m < n_mut; m++)
        {
          gsize at = (gsize) g_rand_int_range (rand, 0, (gint32) len);

          if (g_rand_boolean (rand))
            buf[at] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
          else
            buf[at] = (char) g_rand_int_range (rand, 0, 256);
        }
      if (g_rand_int_range (rand, 0, 4) == 0)
        len = (gsize) g_rand_int_range (rand, 0, (gint32) len + 1);

      bytes = g_bytes_new (buf, len);
      if (!sws_sip_message_parse (bytes, &msg, &error))
        {
          g_assert_true (error->domain == SWS_SIP_ERROR);
          g_assert_cmpint (error->code, >=, 400);
          g_assert_null (strpbrk (error->message, "\r\n"));
        }
      else
        g_assert_cmpuint (msg->len, <=, len);
    }

  /* and pure noise */
  for (guint round = 0; round < 2000; round++)
    {
      gsize len = (gsize) g_rand_int_range (rand, 0, 300);
      g_autofree char *buf = g_malloc (len + 1);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(SwsSipMessage) msg = NULL;

      for (gsize i = 0; i < len; i++)
        buf[i] = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      bytes = g_bytes_new (buf, len);
      sws_sip_message_parse (bytes, &msg, NULL);
    }

  g_rand_free (rand);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sws/parser/message/register", test_register);
  g_test_add_func ("/sws/parser/message/response", test_response);
  g_test_add_func ("/sws/parser/message/response-codes", test_response_codes);
  g_test_add_func ("/sws/parser/message/status-line", test_status_line);
  g_test_add_func ("/sws/parser/message/compact", test_compact_forms);
  g_test_add_func ("/sws/parser/message/case-and-lws", test_case_and_lws);
  g_test_add_func ("/sws/parser/message/folding", test_folding);
  g_test_add_func ("/sws/parser/message/multi-value", test_multi_value);
  g_test_add_func ("/sws/parser/message/line-ends", test_line_ends);
  g_test_add_func ("/sws/parser/message/nul-bytes", test_nul_bytes);
  g_test_add_func ("/sws/parser/message/garbage-start", test_garbage_start);
  g_test_add_func ("/sws/parser/message/request-line", test_request_line);
  g_test_add_func ("/sws/parser/message/missing-headers", test_missing_headers);
  g_test_add_func ("/sws/parser/message/malformed-core", test_malformed_core);
  g_test_add_func ("/sws/parser/message/content-length", test_content_length);
  g_test_add_func ("/sws/parser/message/max-forwards", test_max_forwards);
  g_test_add_func ("/sws/parser/message/get-uint", test_get_uint);
  g_test_add_func ("/sws/parser/message/too-large", test_too_large);
  g_test_add_func ("/sws/parser/message/many-headers", test_many_headers);
  g_test_add_func ("/sws/parser/message/refcount-and-source", test_refcount_and_source);
  g_test_add_func ("/sws/parser/message/truncated", test_truncated);
  g_test_add_func ("/sws/parser/message/fuzz", test_fuzz);

  return g_test_run ();
}
