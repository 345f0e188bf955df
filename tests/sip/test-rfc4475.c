/* test-rfc4475.c: the RFC 4475 torture messages, one test per file */

#include "sws-sip-message.h"

#include <string.h>

#define assert_str(s, lit) G_STMT_START {                              \
    g_autofree char *_d = sws_str_dup (s);                              \
    g_assert_cmpstr (_d, ==, (lit));                                    \
  } G_STMT_END

static char *data_dir;

typedef struct {
  const char *name;
  int code;             /* 0: must parse */
  const char *reason;   /* expected error message, or NULL for any */
  void (*check) (SwsSipMessage *msg, gsize file_len);
} Case;

static gsize
count_values (const SwsSipMessage *msg, SwsHeaderId id)
{
  SwsValueIter iter;
  gsize n = 0;

  sws_value_iter_init (&iter, msg, id);
  while (sws_value_iter_next (&iter, NULL))
    n++;
  return n;
}

static SwsNameAddr
nth_contact (const SwsSipMessage *msg, guint nth)
{
  SwsValueIter iter;
  SwsNameAddr na;
  SwsStr v;

  sws_value_iter_init (&iter, msg, SWS_HDR_CONTACT);
  for (guint i = 0; i <= nth; i++)
    g_assert_true (sws_value_iter_next (&iter, &v));
  g_assert_true (sws_name_addr_parse (v, TRUE, &na, NULL));
  return na;
}

static void
assert_aor (const SwsUri *uri, const char *expected, gsize expected_len)
{
  g_autofree char *aor = sws_uri_to_aor (uri);

  g_assert_nonnull (aor);
  g_assert_cmpmem (aor, strlen (aor), expected, expected_len);
}

/* ---- valid messages (§3.1.1) ---- */

static void
check_wsinv (SwsSipMessage *msg, gsize file_len)
{
  const SwsHeader *h;
  SwsValueIter iter;
  SwsNameAddr m;
  SwsStr v;
  SwsVia via;

  g_assert_cmpint (msg->method, ==, SWS_METHOD_INVITE);
  g_assert_true (sws_uri_get_param (&msg->request_uri, "unknownparam", &v));
  assert_str (msg->to.tag, "1918181833n");
  assert_str (msg->from.display, "\"J Rosenberg \\\\\\\"\"");
  assert_str (msg->from.tag, "98asjd8");
  g_assert_cmpint (msg->max_forwards, ==, 68);
  g_assert_cmpuint (msg->cseq, ==, 9);
  g_assert_cmpint (msg->cseq_method, ==, SWS_METHOD_INVITE);
  assert_str (msg->call_id, "wsinv.ndaksdj@192.0.2.1");
  assert_str (msg->top_via.host, "192.0.2.2");
  assert_str (msg->top_via.branch, "390skdjuw");
  g_assert_false (sws_via_branch_is_rfc3261 (&msg->top_via));

  g_assert_cmpuint (count_values (msg, SWS_HDR_VIA), ==, 3);
  sws_value_iter_init (&iter, msg, SWS_HDR_VIA);
  g_assert_true (sws_value_iter_next (&iter, &v));
  g_assert_true (sws_value_iter_next (&iter, &v));
  g_assert_true (sws_via_parse (v, &via, NULL));
  assert_str (via.branch, "z9hG4bK9ikj8");
  assert_str (via.transport, "TCP");
  g_assert_true (sws_value_iter_next (&iter, &v));
  g_assert_true (sws_via_parse (v, &via, NULL));
  assert_str (via.branch, "z9hG4bK30239");
  assert_str (via.host, "192.168.255.111");

  m = nth_contact (msg, 0);
  assert_str (m.display, "\"Quoted string \\\"\\\"\"");
  g_assert_true (sws_params_get (m.params, "newparam", &v));
  assert_str (v, "newvalue");
  g_assert_true (sws_params_get (m.params, "q", &v));
  assert_str (v, "0.33");
  g_assert_true (sws_params_get (m.params, "secondparam", NULL));

  h = sws_sip_message_find (msg, SWS_HDR_SUBJECT);
  g_assert_nonnull (h);
  g_assert_cmpuint (h->value.len, ==, 0);
  h = sws_sip_message_find_name (msg, "newfangledheader");
  assert_str (h->value, "newfangled value\r\n continued newfangled value");
  h = sws_sip_message_find_name (msg, "UnknownHeaderWithUnusualValue");
  assert_str (h->value, ";;,,;;,;");
  g_assert_cmpuint (msg->body.len, ==, 150);
  g_assert_cmpuint (msg->len, ==, file_len);
}

static void
check_intmeth (SwsSipMessage *msg, gsize file_len)
{
  const SwsHeader *h;

  g_assert_cmpint (msg->method, ==, SWS_METHOD_UNKNOWN);
  assert_str (msg->method_str, "!interesting-Method0123456789_*+`.%indeed'~");
  g_assert_true (sws_str_equal (msg->method_str, msg->cseq_method_str));
  assert_str (msg->request_uri.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  assert_str (msg->request_uri.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
  assert_str (msg->request_uri.host, "example.com");
  g_assert_cmpmem (msg->to.display.p, msg->to.display.len,
                   "\"BEL:\\\x07 NUL:\\\0 DEL:\\\x7f\"", 22);
  assert_str (msg->to.uri.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  assert_str (msg->from.display, "token1~` token2'+_ token3*%!.-");
  assert_str (msg->from.tag, "_token~1'+`*%!-.");
  assert_str (msg->call_id, "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{");
  g_assert_cmpuint (msg->cseq, ==, 139122385);
  g_assert_cmpint (msg->max_forwards, ==, 255);
  assert_str (msg->top_via.branch, "z9hG4bK-.!%66*_+`'~");
  h = sws_sip_message_find_name (msg, "extensionHeader-!.%*+_`'~");
  g_assert_nonnull (h);
  g_assert_cmpint (h->id, ==, SWS_HDR_OTHER);
  g_assert_cmpuint (msg->body.len, ==, 0);
}

static void
check_esc01 (SwsSipMessage *msg, gsize file_len)
{
  SwsNameAddr c;

  assert_str (msg->request_uri.user, "sips%3Auser%40example.com");
  assert_str (msg->request_uri.host, "example.net");
  assert_aor (&msg->request_uri, "sip:sips%3Auser%40example.com@example.net", 41);
  assert_aor (&msg->to.uri, "sip:user@example.com", 20);
  assert_aor (&msg->from.uri, "sip:I%20have%20spaces@example.net", 33);
  c = nth_contact (msg, 0);
  assert_str (c.uri.user, "cal%6Cer");
  assert_str (c.uri.params, "%6C%72;n%61me=v%61lue%25%34%31");
  assert_aor (&c.uri, "sip:caller@host5.example.net", 28);
  assert_str (sws_sip_message_find (msg, SWS_HDR_CONTENT_TYPE)->value, "application/sdp");
  g_assert_cmpuint (msg->body.len, ==, 150);
}

static void
check_escnull (SwsSipMessage *msg, gsize file_len)
{
  SwsNameAddr c0 = nth_contact (msg, 0), c1 = nth_contact (msg, 1);
  g_autofree char *k0 = sws_uri_to_aor (&c0.uri);
  g_autofree char *k1 = sws_uri_to_aor (&c1.uri);

  g_assert_cmpint (msg->method, ==, SWS_METHOD_REGISTER);
  assert_aor (&msg->to.uri, "sip:null-%00-null@example.com", 29);
  assert_aor (&msg->from.uri, "sip:null-%00-null@example.com", 29);
  g_assert_cmpstr (k0, ==, "sip:%00@host5.example.com");
  g_assert_cmpstr (k1, ==, "sip:%00%00@host5.example.com");
  g_assert_cmpstr (k0, !=, k1);
}

static void
check_esc02 (SwsSipMessage *msg, gsize file_len)
{
  const SwsHeader *h;

  g_assert_cmpint (msg->method, !=, SWS_METHOD_REGISTER);
  g_assert_cmpint (msg->method, ==, SWS_METHOD_UNKNOWN);
  assert_str (msg->method_str, "RE%47IST%45R");
  g_assert_cmpint (msg->cseq_method, ==, SWS_METHOD_UNKNOWN);
  assert_str (msg->to.display, "\"%Z%45\"");
  assert_str (msg->top_via.branch, "z9hG4bK209%fzsnel234");
  h = sws_sip_message_find_name (msg, "C%6Fntact");
  g_assert_nonnull (h);
  g_assert_cmpint (h->id, ==, SWS_HDR_OTHER);
  g_assert_cmpuint (count_values (msg, SWS_HDR_CONTACT), ==, 2);
}

static void
check_lwsdisp (SwsSipMessage *msg, gsize file_len)
{
  assert_str (msg->from.display, "caller");
  assert_str (msg->from.uri.user, "caller");
  assert_str (msg->from.tag, "323");
}

static void
check_longreq (SwsSipMessage *msg, gsize file_len)
{
  SwsValueIter iter;
  SwsStr v, last = SWS_STR_NULL;
  SwsVia via;

  g_assert_cmpuint (msg->to.uri.port, ==, 6000);
  g_assert_true (sws_uri_get_param (&msg->to.uri, "unknownparam1", NULL));
  g_assert_true (g_str_has_prefix (msg->to.display.p, "\"I have a user name of extremeextreme"));
  g_assert_cmpuint (msg->from.tag.len, ==, 155);
  g_assert_true (g_str_has_prefix (msg->call_id.p, "longreq.onereallyreally"));
  g_assert_cmpuint (count_values (msg, SWS_HDR_VIA), ==, 34);
  assert_str (msg->top_via.host, "sip33.example.com");
  sws_value_iter_init (&iter, msg, SWS_HDR_VIA);
  while (sws_value_iter_next (&iter, &v))
    last = v;
  g_assert_true (sws_via_parse (last, &via, NULL));
  assert_str (via.received, "192.0.2.5");
  g_assert_cmpuint (via.branch.len, ==, 215);
  g_assert_nonnull (sws_sip_message_find_name (msg,
    "Unknown-LongLongLongLongLongLongLongLongLongLongLongLongLongLongLongLongLongLongLongLong-Name"));
  g_assert_cmpuint (msg->body.len, ==, 150);
}

static void
check_dblreq (SwsSipMessage *msg, gsize file_len)
{
  g_assert_cmpint (msg->method, ==, SWS_METHOD_REGISTER);
  assert_str (msg->call_id, "dblreq.0ha0isndaksdj99sdfafnl3lk233412");
  /* the INVITE after the REGISTER's empty body is ignored */
  g_assert_cmpuint (msg->body.len, ==, 0);
  g_assert_cmpuint (msg->len, ==, 300);
  g_assert_cmpuint (msg->len, <, file_len);
}

static void
check_semiuri (SwsSipMessage *msg, gsize file_len)
{
  assert_str (msg->request_uri.user, "user;par=u%40example.net");
  assert_str (msg->request_uri.host, "example.com");
  g_assert_null (msg->request_uri.params.p);
  g_assert_cmpuint (count_values (msg, SWS_HDR_ACCEPT), ==, 6);
}

static void
check_transports (SwsSipMessage *msg, gsize file_len)
{
  static const char *transports[] = { "UDP", "SCTP", "TLS", "UNKNOWN", "TCP" };
  SwsValueIter iter;
  SwsStr v;
  guint n = 0;

  sws_value_iter_init (&iter, msg, SWS_HDR_VIA);
  while (sws_value_iter_next (&iter, &v))
    {
      SwsVia via;

      g_assert_cmpuint (n, <, 5);
      g_assert_true (sws_via_parse (v, &via, NULL));
      assert_str (via.transport, transports[n]);
      g_assert_true (sws_via_branch_is_rfc3261 (&via));
      n++;
    }
  g_assert_cmpuint (n, ==, 5);
  assert_str (msg->call_id, "transports.kijh4akdnaqjkwendsasfdj");
}

static void
check_mpart01 (SwsSipMessage *msg, gsize file_len)
{
  static const char tail[] = "--7a9cbec02ceef655--\r\n";

  g_assert_cmpint (msg->method, ==, SWS_METHOD_MESSAGE);
  g_assert_cmpuint (msg->body.len, ==, 553);
  g_assert_cmpuint (msg->len, ==, file_len);
  g_assert_nonnull (memchr (msg->body.p, '\0', msg->body.len));
  g_assert_cmpmem (msg->body.p + msg->body.len - (sizeof tail - 1), sizeof tail - 1,
                   tail, sizeof tail - 1);
  g_assert_true (msg->top_via.has_rport);
  g_assert_cmpuint (msg->top_via.rport.len, ==, 0);
  g_assert_cmpuint (msg->top_via.port, ==, 5070);
  g_assert_nonnull (sws_sip_message_find (msg, SWS_HDR_IDENTITY));
  g_assert_nonnull (sws_sip_message_find (msg, SWS_HDR_ROUTE));
}

static void
check_unreason (SwsSipMessage *msg, gsize file_len)
{
  g_assert_false (msg->is_request);
  g_assert_cmpuint (msg->status, ==, 200);
  g_assert_true (g_str_has_prefix (msg->reason.p, "= 2**3 * 5**2 "));
  g_assert_true (g_utf8_validate (msg->reason.p, (gssize) msg->reason.len, NULL));
  g_assert_cmpuint (msg->reason.len, ==, 74);
  g_assert_cmpuint (msg->body.len, ==, 154);
}

static void
check_noreason (SwsSipMessage *msg, gsize file_len)
{
  g_assert_false (msg->is_request);
  g_assert_cmpuint (msg->status, ==, 100);
  g_assert_nonnull (msg->reason.p);
  g_assert_cmpuint (msg->reason.len, ==, 0);
}

/* ---- invalid messages (§3.1.2) ---- */

static void
check_failed_request (SwsSipMessage *msg, gsize file_len)
{
  /* kept so that the server can answer */
  g_assert_nonnull (msg);
  g_assert_true (msg->is_request);
  g_assert_nonnull (sws_sip_message_find (msg, SWS_HDR_VIA));
}

static void
check_failed_response (SwsSipMessage *msg, gsize file_len)
{
  /* the server drops these */
  g_assert_nonnull (msg);
  g_assert_false (msg->is_request);
}

static void
check_scalar02 (SwsSipMessage *msg, gsize file_len)
{
  check_failed_request (msg, file_len);
  g_assert_false (sws_sip_message_get_uint (msg, SWS_HDR_EXPIRES, G_MAXUINT32, NULL, NULL, NULL));
  g_assert_false (sws_str_to_uint64 (sws_sip_message_find (msg, SWS_HDR_MAX_FORWARDS)->value, 255, NULL));
}

static void
check_lwsstart (SwsSipMessage *msg, gsize file_len)
{
  /* liberal: accepted, and the URI slice holds no extra SP */
  g_assert_cmpint (msg->method, ==, SWS_METHOD_INVITE);
  assert_str (msg->method_str, "INVITE");
  assert_str (msg->request_uri_text, "sip:user@example.com");
  g_assert_cmpuint (msg->body.len, ==, 150);
}

static void
check_trws (SwsSipMessage *msg, gsize file_len)
{
  assert_str (msg->request_uri_text, "sip:remote-target@example.com");
  g_assert_cmpint (msg->method, ==, SWS_METHOD_OPTIONS);
}

static void
check_baddate (SwsSipMessage *msg, gsize file_len)
{
  /* liberal: Date does not matter to a registrar */
  assert_str (sws_sip_message_find (msg, SWS_HDR_DATE)->value, "Fri, 01 Jan 2010 16:00:00 EST");
}

static void
check_regbadct (SwsSipMessage *msg, gsize file_len)
{
  g_autoptr(GError) error = NULL;
  const SwsHeader *h = sws_sip_message_find (msg, SWS_HDR_CONTACT);
  SwsNameAddr na;

  /* Contact is parsed by the registrar, which answers 400 */
  g_assert_cmpint (msg->method, ==, SWS_METHOD_REGISTER);
  g_assert_false (sws_name_addr_parse (h->value, TRUE, &na, &error));
  g_assert_error (error, SWS_SIP_ERROR, 400);
}

static void
check_badvers (SwsSipMessage *msg, gsize file_len)
{
  check_failed_request (msg, file_len);
  g_assert_cmpint (msg->method, ==, SWS_METHOD_OPTIONS);
}

static void
check_mismatch02 (SwsSipMessage *msg, gsize file_len)
{
  /* unknown method: the server answers 501 */
  g_assert_cmpint (msg->method, ==, SWS_METHOD_UNKNOWN);
  assert_str (msg->method_str, "NEWMETHOD");
  g_assert_cmpint (msg->cseq_method, ==, SWS_METHOD_INVITE);
  g_assert_cmpuint (msg->body.len, ==, 138);
}

/* ---- transaction and semantic cases (§3.2, §3.3, §3.4) ---- */

static void
check_badbranch (SwsSipMessage *msg, gsize file_len)
{
  assert_str (msg->top_via.branch, "z9hG4bK");
}

static void
check_unkscm (SwsSipMessage *msg, gsize file_len)
{
  g_assert_cmpint (msg->request_uri.scheme, ==, SWS_URI_SCHEME_OTHER);
  assert_str (msg->request_uri.scheme_str, "nobodyKnowsThisScheme");
}

static void
check_novelsc (SwsSipMessage *msg, gsize file_len)
{
  g_assert_cmpint (msg->request_uri.scheme, ==, SWS_URI_SCHEME_OTHER);
  assert_str (msg->request_uri.scheme_str, "soap.beep");
}

static void
check_unksm2 (SwsSipMessage *msg, gsize file_len)
{
  SwsNameAddr c = nth_contact (msg, 0);

  g_assert_cmpint (msg->method, ==, SWS_METHOD_REGISTER);
  g_assert_cmpint (msg->to.uri.scheme, ==, SWS_URI_SCHEME_OTHER);
  assert_str (msg->to.uri.scheme_str, "isbn");
  g_assert_cmpint (msg->from.uri.scheme, ==, SWS_URI_SCHEME_OTHER);
  g_assert_cmpint (c.uri.scheme, ==, SWS_URI_SCHEME_OTHER);
  assert_str (c.uri.scheme_str, "name");
  g_assert_null (sws_uri_to_aor (&msg->to.uri));
}

static void
check_bext01 (SwsSipMessage *msg, gsize file_len)
{
  SwsValueIter iter;
  SwsStr v;

  g_assert_nonnull (sws_sip_message_find (msg, SWS_HDR_REQUIRE));
  g_assert_nonnull (sws_sip_message_find (msg, SWS_HDR_PROXY_REQUIRE));
  sws_value_iter_init (&iter, msg, SWS_HDR_PROXY_REQUIRE);
  g_assert_true (sws_value_iter_next (&iter, &v));
  assert_str (v, "noProxiesSupportThis");
  g_assert_true (sws_value_iter_next (&iter, &v));
  assert_str (v, "norDoAnyProxiesSupportThis");
  g_assert_false (sws_value_iter_next (&iter, &v));
}

static void
check_invut (SwsSipMessage *msg, gsize file_len)
{
  assert_str (sws_sip_message_find (msg, SWS_HDR_CONTENT_TYPE)->value, "application/unknownformat");
  g_assert_cmpuint (msg->body.len, ==, 40);
}

static void
check_regaut01 (SwsSipMessage *msg, gsize file_len)
{
  const SwsHeader *h = sws_sip_message_find (msg, SWS_HDR_AUTHORIZATION);

  g_assert_cmpint (msg->method, ==, SWS_METHOD_REGISTER);
  assert_str (h->value, "NoOneKnowsThisScheme opaque-data=here");
}

static void
check_bcast (SwsSipMessage *msg, gsize file_len)
{
  SwsValueIter iter;
  SwsStr v;
  SwsVia via;

  g_assert_false (msg->is_request);
  g_assert_cmpuint (msg->status, ==, 200);
  sws_value_iter_init (&iter, msg, SWS_HDR_VIA);
  g_assert_true (sws_value_iter_next (&iter, &v));
  g_assert_true (sws_value_iter_next (&iter, &v));
  g_assert_true (sws_via_parse (v, &via, NULL));
  assert_str (via.host, "255.255.255.255");
}

static void
check_zeromf (SwsSipMessage *msg, gsize file_len)
{
  g_assert_cmpint (msg->max_forwards, ==, 0);
  g_assert_cmpint (msg->method, ==, SWS_METHOD_OPTIONS);
}

static void
check_cparam01 (SwsSipMessage *msg, gsize file_len)
{
  SwsNameAddr c = nth_contact (msg, 0);

  assert_str (c.params, "unknownparam");
  g_assert_null (c.uri.params.p);
  g_assert_false (sws_uri_get_param (&c.uri, "unknownparam", NULL));
  assert_str (c.uri.user, "+19725552222");
}

static void
check_cparam02 (SwsSipMessage *msg, gsize file_len)
{
  SwsNameAddr c = nth_contact (msg, 0);

  g_assert_null (c.params.p);
  g_assert_true (sws_uri_get_param (&c.uri, "unknownparam", NULL));
}

static void
check_regescrt (SwsSipMessage *msg, gsize file_len)
{
  SwsNameAddr c = nth_contact (msg, 0);

  assert_str (c.uri.headers, "Route=%3Csip:sip.example.com%3E");
  assert_aor (&c.uri, "sip:user@example.com", 20);
}

static void
check_sdp01 (SwsSipMessage *msg, gsize file_len)
{
  assert_str (sws_sip_message_find (msg, SWS_HDR_ACCEPT)->value, "text/nobodyKnowsThis");
  g_assert_cmpuint (msg->body.len, ==, 150);
}

static void
check_inv2543 (SwsSipMessage *msg, gsize file_len)
{
  g_assert_null (msg->top_via.branch.p);
  g_assert_false (sws_via_branch_is_rfc3261 (&msg->top_via));
  g_assert_cmpint (msg->max_forwards, ==, -1);
  g_assert_null (msg->from.tag.p);
  /* addr-spec form: ";user=phone" is a To header parameter here */
  assert_str (msg->to.params, "user=phone");
  g_assert_null (msg->to.uri.params.p);
  assert_str (msg->to.uri.user, "+16505552222");
  g_assert_null (sws_sip_message_find (msg, SWS_HDR_CONTENT_LENGTH));
  g_assert_cmpuint (msg->body.len, ==, 105);
}

static const Case cases[] = {
  /* §3.1.1 valid */
  { "wsinv", 0, NULL, check_wsinv },
  { "intmeth", 0, NULL, check_intmeth },
  { "esc01", 0, NULL, check_esc01 },
  { "escnull", 0, NULL, check_escnull },
  { "esc02", 0, NULL, check_esc02 },
  { "lwsdisp", 0, NULL, check_lwsdisp },
  { "longreq", 0, NULL, check_longreq },
  { "dblreq", 0, NULL, check_dblreq },
  { "semiuri", 0, NULL, check_semiuri },
  { "transports", 0, NULL, check_transports },
  { "mpart01", 0, NULL, check_mpart01 },
  { "unreason", 0, NULL, check_unreason },
  { "noreason", 0, NULL, check_noreason },
  /* §3.1.2 invalid */
  { "badinv01", 400, "Malformed Via", check_failed_request },
  { "clerr", 400, "Content-Length exceeds message size", check_failed_request },
  { "ncl", 400, "Malformed Content-Length", check_failed_request },
  { "scalar02", 400, "Malformed CSeq", check_scalar02 },
  { "scalarlg", 400, "Malformed CSeq", check_failed_response },
  { "quotbal", 400, "Malformed To", check_failed_request },
  { "ltgtruri", 400, "Malformed Request-URI", check_failed_request },
  { "lwsruri", 400, "Malformed Request-URI", check_failed_request },
  { "lwsstart", 0, NULL, check_lwsstart },
  { "trws", 0, NULL, check_trws },
  { "escruri", 400, "Headers not allowed in Request-URI", check_failed_request },
  { "baddate", 0, NULL, check_baddate },
  { "regbadct", 0, NULL, check_regbadct },
  { "badaspec", 400, "Malformed To", check_failed_request },
  { "baddn", 400, "Malformed From", check_failed_request },
  { "badvers", 505, "Version Not Supported", check_badvers },
  { "mismatch01", 400, "CSeq method does not match request method", check_failed_request },
  { "mismatch02", 0, NULL, check_mismatch02 },
  { "bigcode", 400, "Invalid status code", check_failed_response },
  /* §3.2 transaction layer */
  { "badbranch", 0, NULL, check_badbranch },
  /* §3.3 application layer semantics */
  { "insuf", 400, "Missing From", check_failed_request },
  { "unkscm", 0, NULL, check_unkscm },
  { "novelsc", 0, NULL, check_novelsc },
  { "unksm2", 0, NULL, check_unksm2 },
  { "bext01", 0, NULL, check_bext01 },
  { "invut", 0, NULL, check_invut },
  { "regaut01", 0, NULL, check_regaut01 },
  { "multi01", 400, NULL, check_failed_request },
  { "mcl01", 400, "Multiple Content-Length headers", check_failed_request },
  { "bcast", 0, NULL, check_bcast },
  { "zeromf", 0, NULL, check_zeromf },
  { "cparam01", 0, NULL, check_cparam01 },
  { "cparam02", 0, NULL, check_cparam02 },
  { "regescrt", 0, NULL, check_regescrt },
  { "sdp01", 0, NULL, check_sdp01 },
  /* §3.4 backward compatibility */
  { "inv2543", 0, NULL, check_inv2543 },
};

static void
run_case (gconstpointer data)
{
  const Case *c = data;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SwsSipMessage) msg = NULL;
  gsize len;
  gboolean ok;

  g_assert_nonnull (data_dir);
  path = g_strdup_printf ("%s/%s.dat", data_dir, c->name);
  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);

  ok = sws_sip_message_parse_data (contents, (gssize) len, &msg, &error);
  if (c->code == 0)
    {
      if (!ok)
        g_error ("%s: expected to parse, got %d %s", c->name, error->code, error->message);
      g_assert_no_error (error);
    }
  else
    {
      g_assert_false (ok);
      g_assert_error (error, SWS_SIP_ERROR, c->code);
      if (c->reason != NULL)
        g_assert_cmpstr (error->message, ==, c->reason);
    }
  c->check (msg, len);
}

/* Every file of the directory has a test, and every test a file. */
static void
test_manifest (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint n = 0;

  g_assert_nonnull (data_dir);
  dir = g_dir_open (data_dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      gboolean known = FALSE;

      if (!g_str_has_suffix (name, ".dat"))
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (cases) && !known; i++)
        known = strlen (name) == strlen (cases[i].name) + 4 &&
                strncmp (name, cases[i].name, strlen (cases[i].name)) == 0;
      if (!known)
        g_error ("no test for %s", name);
      n++;
    }
  g_assert_cmpuint (n, ==, 49);
  g_assert_cmpuint (G_N_ELEMENTS (cases), ==, 49);
}

static char *
find_data_dir (void)
{
  const char *env = g_getenv ("SWS_RFC4475_DIR");
  const char *srcdir = g_getenv ("G_TEST_SRCDIR");
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (srcdir == NULL)
    return NULL;
  /* G_TEST_SRCDIR is tests/ under meson, tests/sip/ when run by hand */
  a = g_build_filename (srcdir, "data", "rfc4475", NULL);
  if (g_file_test (a, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&a);
  b = g_build_filename (srcdir, "..", "data", "rfc4475", NULL);
  if (g_file_test (b, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&b);
  return NULL;
}

int
main (int argc, char **argv)
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  /* a missing directory makes every test fail rather than skip */
  data_dir = find_data_dir ();
  if (data_dir == NULL || !g_file_test (data_dir, G_FILE_TEST_IS_DIR))
    g_printerr ("# RFC 4475 messages not found: set SWS_RFC4475_DIR\n");

  g_test_add_func ("/sws/rfc4475/manifest", test_manifest);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *test_path = g_strdup_printf ("/sws/rfc4475/%s", cases[i].name);

      g_test_add_data_func (test_path, &cases[i], run_case);
    }

  ret = g_test_run ();
  g_free (data_dir);
  return ret;
}
