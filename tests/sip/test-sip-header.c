/* test-sip-header.c: header names, Via, name-addr, CSeq and list splitting */

#include "sws-sip-message.h"

#include <string.h>

#define assert_str(s, lit) G_STMT_START {                              \
    g_autofree char *_d = sws_str_dup (s);                              \
    g_assert_cmpstr (_d, ==, (lit));                                    \
  } G_STMT_END

/* ---- header names ---- */

static void
test_names_canonical (void)
{
  for (SwsHeaderId id = SWS_HDR_VIA; id < SWS_HDR_N_IDS; id++)
    {
      const char *name = sws_header_id_to_name (id);
      g_autofree char *up = NULL, *down = NULL;

      g_assert_nonnull (name);
      up = g_ascii_strup (name, -1);
      down = g_ascii_strdown (name, -1);
      g_assert_cmpint (sws_header_id_from_name (sws_str_c (name)), ==, id);
      g_assert_cmpint (sws_header_id_from_name (sws_str_c (up)), ==, id);
      g_assert_cmpint (sws_header_id_from_name (sws_str_c (down)), ==, id);
    }
  g_assert_null (sws_header_id_to_name (SWS_HDR_OTHER));
  g_assert_null (sws_header_id_to_name (SWS_HDR_N_IDS));
  g_assert_cmpstr (sws_header_id_to_name (SWS_HDR_CALL_ID), ==, "Call-ID");
  g_assert_cmpstr (sws_header_id_to_name (SWS_HDR_CSEQ), ==, "CSeq");
  g_assert_cmpstr (sws_header_id_to_name (SWS_HDR_WWW_AUTHENTICATE), ==, "WWW-Authenticate");
}

static void
test_names_compact (void)
{
  static const struct { char c; SwsHeaderId id; } compact[] = {
    { 'i', SWS_HDR_CALL_ID }, { 'm', SWS_HDR_CONTACT },
    { 'e', SWS_HDR_CONTENT_ENCODING }, { 'l', SWS_HDR_CONTENT_LENGTH },
    { 'c', SWS_HDR_CONTENT_TYPE }, { 'f', SWS_HDR_FROM },
    { 's', SWS_HDR_SUBJECT }, { 'k', SWS_HDR_SUPPORTED },
    { 't', SWS_HDR_TO }, { 'v', SWS_HDR_VIA }, { 'o', SWS_HDR_EVENT },
    { 'r', SWS_HDR_REFER_TO }, { 'u', SWS_HDR_ALLOW_EVENTS },
    { 'a', SWS_HDR_ACCEPT_CONTACT }, { 'j', SWS_HDR_REJECT_CONTACT },
    { 'd', SWS_HDR_REQUEST_DISPOSITION }, { 'x', SWS_HDR_SESSION_EXPIRES },
    { 'b', SWS_HDR_REFERRED_BY }, { 'y', SWS_HDR_IDENTITY },
    { 'n', SWS_HDR_IDENTITY_INFO },
  };
  char c[2];

  for (guint i = 0; i < G_N_ELEMENTS (compact); i++)
    {
      c[0] = compact[i].c;
      g_assert_cmpint (sws_header_id_from_name (sws_str (c, 1)), ==, compact[i].id);
      c[0] = g_ascii_toupper (compact[i].c);
      g_assert_cmpint (sws_header_id_from_name (sws_str (c, 1)), ==, compact[i].id);
    }
  for (c[0] = 'a'; c[0] <= 'z'; c[0]++)
    if (strchr ("imelcfsktvoruajdxbyn", c[0]) == NULL)
      g_assert_cmpint (sws_header_id_from_name (sws_str (c, 1)), ==, SWS_HDR_OTHER);
}

static void
test_names_unknown (void)
{
  static const char *unknown[] = {
    "", "Z", "Vias", "Vi", "Call-Id-", "Call_ID", "CallID", "Content-Lengths",
    "Proxy-Authorizatio", "NewFangledHeader", "C%6Fntact", "extensionHeader-!.%*+_`'~",
    "Request-Dispositions", "WWW-Authenticat3",
  };

  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    g_assert_cmpint (sws_header_id_from_name (sws_str_c (unknown[i])), ==, SWS_HDR_OTHER);
  g_assert_cmpint (sws_header_id_from_name (SWS_STR_NULL), ==, SWS_HDR_OTHER);
  /* a control character must not fold onto a '-' */
  g_assert_cmpint (sws_header_id_from_name (sws_str_c ("Call\rID")), ==, SWS_HDR_OTHER);
  g_assert_cmpint (sws_header_id_from_name (sws_str ("Via\0", 4)), ==, SWS_HDR_OTHER);
}

/* ---- Via ---- */

static void
via_ok (const char *text, SwsVia *via)
{
  g_autoptr(GError) error = NULL;

  if (!sws_via_parse (sws_str_c (text), via, &error))
    g_error ("expected Via \"%s\" to parse: %s", text, error->message);
}

static void
via_bad (const char *text)
{
  g_autoptr(GError) error = NULL;
  SwsVia via;

  if (sws_via_parse (sws_str_c (text), &via, &error))
    g_error ("expected Via \"%s\" to be rejected", text);
  g_assert_error (error, SWS_SIP_ERROR, 400);
  g_assert_cmpstr (error->message, ==, "Malformed Via");
  g_assert_null (via.whole.p);
}

static void
test_via_basic (void)
{
  SwsVia via;

  via_ok ("  SIP/2.0/UDP pc33.atlanta.example.com:5066;branch=z9hG4bK776asdhds;rport ", &via);
  assert_str (via.whole, "SIP/2.0/UDP pc33.atlanta.example.com:5066;branch=z9hG4bK776asdhds;rport");
  assert_str (via.protocol, "SIP/2.0");
  assert_str (via.transport, "UDP");
  assert_str (via.host, "pc33.atlanta.example.com");
  g_assert_cmpuint (via.port, ==, 5066);
  assert_str (via.params, "branch=z9hG4bK776asdhds;rport");
  assert_str (via.branch, "z9hG4bK776asdhds");
  g_assert_null (via.received.p);
  g_assert_true (via.has_rport);
  g_assert_nonnull (via.rport.p);
  g_assert_cmpuint (via.rport.len, ==, 0);
  g_assert_true (sws_via_branch_is_rfc3261 (&via));

  via_ok ("SIP/2.0/WSS df7jal23ls0d.invalid;branch=z9hG4bK4242", &via);
  assert_str (via.transport, "WSS");
  g_assert_cmpuint (via.port, ==, 0);
  g_assert_false (via.has_rport);
  g_assert_null (via.rport.p);

  via_ok ("SIP/2.0/UDP 192.0.2.1", &via);
  g_assert_null (via.params.p);
  g_assert_null (via.branch.p);
  g_assert_false (sws_via_branch_is_rfc3261 (&via));
}

static void
test_via_params (void)
{
  SwsVia via;

  via_ok ("SIP/2.0/TCP h.example;received=192.0.2.9;rport=5070;branch=x;maddr=[::1];ttl=1;x=\"q;v\"", &via);
  assert_str (via.received, "192.0.2.9");
  assert_str (via.rport, "5070");
  g_assert_true (via.has_rport);
  assert_str (via.branch, "x");
  g_assert_false (sws_via_branch_is_rfc3261 (&via));

  via_ok ("SIP/2.0/TCP [2001:db8::1]:5061;branch=z9hG4bKa;received=2001:db8::2", &via);
  assert_str (via.host, "[2001:db8::1]");
  g_assert_cmpuint (via.port, ==, 5061);
  assert_str (via.received, "2001:db8::2");

  /* RFC 4475 badbranch: the bare cookie still parses */
  via_ok ("SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK", &via);
  assert_str (via.branch, "z9hG4bK");
  via_ok ("SIP/2.0/UDP 192.0.2.1;branch=z9hg4bk1", &via);
  g_assert_false (sws_via_branch_is_rfc3261 (&via));
}

static void
test_via_lws (void)
{
  SwsVia via;

  /* RFC 4475 wsinv */
  via_ok ("SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw", &via);
  assert_str (via.protocol, "SIP  /   2.0");
  assert_str (via.transport, "UDP");
  assert_str (via.host, "192.0.2.2");
  assert_str (via.branch, "390skdjuw");

  via_ok ("SIP  / 2.0  / TCP     spindle.example.com   ;\r\n  branch  =   z9hG4bK9ikj8", &via);
  assert_str (via.transport, "TCP");
  assert_str (via.host, "spindle.example.com");
  assert_str (via.branch, "z9hG4bK9ikj8");
  assert_str (via.params, "branch  =   z9hG4bK9ikj8");

  via_ok ("SIP/2.0/UDP h.example : 5060 ; rport ; branch = z9hG4bKx", &via);
  g_assert_cmpuint (via.port, ==, 5060);
  g_assert_true (via.has_rport);
  assert_str (via.branch, "z9hG4bKx");
}

static void
test_via_invalid (void)
{
  via_bad ("");
  via_bad ("   ");
  via_bad ("SIP/2.0/UDP");
  via_bad ("SIP/2.0/UDP ");
  via_bad ("SIP/2.0 UDP h.example");
  via_bad ("SIP/2.0/UDPh.example");
  via_bad ("SIP//UDP h.example");
  via_bad ("/2.0/UDP h.example");
  via_bad ("SIP/2.0/UDP h.example;");
  via_bad ("SIP/2.0/UDP 192.0.2.15;;");
  via_bad ("SIP/2.0/UDP h.example;branch");
  via_bad ("SIP/2.0/UDP h.example;branch=");
  via_bad ("SIP/2.0/UDP h.example;branch=\"x\"");
  via_bad ("SIP/2.0/UDP h.example;received");
  via_bad ("SIP/2.0/UDP h.example;rport=x");
  via_bad ("SIP/2.0/UDP h.example:0");
  via_bad ("SIP/2.0/UDP h.example:65536");
  via_bad ("SIP/2.0/UDP h.example:");
  via_bad ("SIP/2.0/UDP h.example extra");
  via_bad ("SIP/2.0/UDP h.example, SIP/2.0/UDP b.example");
  via_bad ("SIP/2.0/UDP [::1");
  via_bad ("SIP/2.0/UDP ::1");
  via_bad ("SIP/2.0/UDP h_x.example");
  via_bad ("SIP/2.0/UDP h.example;x=\"unterminated");
}

/* ---- name-addr ---- */

static void
na_ok (const char *text, gboolean star, SwsNameAddr *na)
{
  g_autoptr(GError) error = NULL;

  if (!sws_name_addr_parse (sws_str_c (text), star, na, &error))
    g_error ("expected \"%s\" to parse: %s", text, error->message);
}

static void
na_bad (const char *text, gboolean star)
{
  g_autoptr(GError) error = NULL;
  SwsNameAddr na;

  if (sws_name_addr_parse (sws_str_c (text), star, &na, &error))
    g_error ("expected \"%s\" to be rejected", text);
  g_assert_error (error, SWS_SIP_ERROR, 400);
  g_assert_null (na.whole.p);
}

static void
test_name_addr_forms (void)
{
  SwsNameAddr na;

  na_ok ("\"Alice Liddell\" <sip:alice@example.com>;tag=1928301774", FALSE, &na);
  assert_str (na.display, "\"Alice Liddell\"");
  assert_str (na.uri_text, "sip:alice@example.com");
  assert_str (na.uri.user, "alice");
  assert_str (na.params, "tag=1928301774");
  assert_str (na.tag, "1928301774");
  g_assert_false (na.star);

  na_ok ("<sip:alice@example.com>", FALSE, &na);
  g_assert_null (na.display.p);
  g_assert_null (na.params.p);
  g_assert_null (na.tag.p);

  na_ok ("sip:alice@example.com", FALSE, &na);
  assert_str (na.uri_text, "sip:alice@example.com");
  assert_str (na.whole, "sip:alice@example.com");

  /* tokens separated by LWS, with and without LWS before '<' (lwsdisp) */
  na_ok ("Alice  Liddell <sip:a@example.com>", FALSE, &na);
  assert_str (na.display, "Alice  Liddell");
  na_ok ("caller<sip:caller@example.com>;tag=323", FALSE, &na);
  assert_str (na.display, "caller");
  assert_str (na.tag, "323");
  na_ok ("token1~` token2'+_ token3*%!.- <sip:mundane@example.com>", FALSE, &na);
  assert_str (na.display, "token1~` token2'+_ token3*%!.-");

  /* quoted display names: escapes, commas, '<', UTF-8, empty */
  na_ok ("\"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\r\n  ;\r\n  tag = 98asjd8", FALSE, &na);
  assert_str (na.display, "\"J Rosenberg \\\\\\\"\"");
  assert_str (na.tag, "98asjd8");
  na_ok ("\"Bell, Alexander <x>\" <sip:a.g.bell@example.com>", FALSE, &na);
  assert_str (na.display, "\"Bell, Alexander <x>\"");
  na_ok ("\"\xd0\x98\xd0\xb2\xd0\xb0\xd0\xbd\"<sip:ivan@example.com>", FALSE, &na);
  na_ok ("\"\" <sip:a@example.com>", FALSE, &na);
  assert_str (na.display, "\"\"");
}

static void
test_name_addr_params (void)
{
  SwsNameAddr na;
  SwsStr v;

  /* RFC 4475 cparam01: in the addr-spec form, params belong to the header */
  na_ok ("sip:+19725552222@gw1.example.net;unknownparam", TRUE, &na);
  assert_str (na.uri_text, "sip:+19725552222@gw1.example.net");
  g_assert_null (na.uri.params.p);
  assert_str (na.params, "unknownparam");
  /* cparam02: inside '<>' they belong to the URI */
  na_ok ("<sip:+19725552222@gw1.example.net;unknownparam>", TRUE, &na);
  assert_str (na.uri.params, "unknownparam");
  g_assert_null (na.params.p);

  na_ok ("sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n", FALSE, &na);
  assert_str (na.uri_text, "sip:vivekg@chair-dnrc.example.com");
  assert_str (na.tag, "1918181833n");

  na_ok ("\"Quoted string \\\"\\\"\" <sip:jdrosen@example.com> ; newparam =\r\n"
         "      newvalue ;\r\n  secondparam ; q = 0.33", TRUE, &na);
  g_assert_true (sws_params_get (na.params, "newparam", &v));
  assert_str (v, "newvalue");
  g_assert_true (sws_params_get (na.params, "secondparam", &v));
  g_assert_cmpuint (v.len, ==, 0);
  g_assert_true (sws_params_get (na.params, "q", &v));
  assert_str (v, "0.33");
  g_assert_null (na.tag.p);

  na_ok ("<sip:a@example.com>;expires=3600;+sip.instance=\"<urn:uuid:1>\";reg-id=1", TRUE, &na);
  g_assert_true (sws_params_get (na.params, "+sip.instance", &v));
  assert_str (v, "\"<urn:uuid:1>\"");

  /* RFC 4475 regescrt: headers inside '<>' are fine */
  na_ok ("<sip:user@example.com?Route=%3Csip:sip.example.com%3E>", TRUE, &na);
  assert_str (na.uri.headers, "Route=%3Csip:sip.example.com%3E");
}

static void
test_name_addr_star_and_schemes (void)
{
  SwsNameAddr na;

  na_ok ("*", TRUE, &na);
  g_assert_true (na.star);
  na_ok ("  *  ", TRUE, &na);
  g_assert_true (na.star);
  na_bad ("*", FALSE);

  /* unsupported schemes parse; the caller decides (RFC 4475 unksm2) */
  na_ok ("isbn:2983792873", FALSE, &na);
  g_assert_cmpint (na.uri.scheme, ==, SWS_URI_SCHEME_OTHER);
  na_ok ("<http://www.example.com>;tag=3234233", FALSE, &na);
  g_assert_cmpint (na.uri.scheme, ==, SWS_URI_SCHEME_OTHER);
  assert_str (na.tag, "3234233");
  na_ok ("<tel:+12015550123>", FALSE, &na);
  g_assert_cmpint (na.uri.scheme, ==, SWS_URI_SCHEME_TEL);
}

static void
test_name_addr_invalid (void)
{
  na_bad ("", FALSE);
  na_bad ("  ", TRUE);
  /* RFC 4475 regbadct: '?' in an addr-spec */
  na_bad ("sip:user@example.com?Route=%3Csip:sip.example.com%3E", TRUE);
  na_bad ("sip:a@example.com, sip:b@example.com", TRUE);
  /* badaspec: spaces inside '<>' */
  na_bad ("\"Watson, Thomas\" < sip:t.watson@example.org >", FALSE);
  /* quotbal */
  na_bad ("\"Mr. J. User <sip:j.user@example.com>", FALSE);
  /* baddn */
  na_bad ("Bell, Alexander <sip:a.g.bell@example.com>;tag=43", FALSE);
  na_bad ("Watson, Thomas <sip:t.watson@example.org>", FALSE);
  na_bad ("A. Bell@ <sip:a@example.com>", FALSE);
  /* badinv01 */
  na_bad ("\"Joe\" <sip:joe@example.org>;;;;", TRUE);
  na_bad ("<sip:a@example.com>;", FALSE);
  na_bad ("<sip:a@example.com>;tag", FALSE);
  na_bad ("<sip:a@example.com>;tag=\"x\"", FALSE);
  na_bad ("<sip:a@example.com", FALSE);
  na_bad ("<sip:a@example.com> junk", FALSE);
  na_bad ("<sip:a@example.com>, <sip:b@example.com>", TRUE);
  na_bad ("<sip:a@example.com>;tag=1, <sip:b@example.com>", TRUE);
  na_bad ("\"x\" sip:a@example.com", FALSE);
  na_bad ("<>", FALSE);
  na_bad ("<not a uri>", FALSE);
  na_bad ("\"a\x01\" <sip:a@example.com>", FALSE);
  na_bad ("sip:a@example.com;p=\"open", FALSE);
}

/* ---- CSeq ---- */

static void
test_cseq (void)
{
  g_autoptr(GError) error = NULL;
  static const char *bad[] = {
    "", "1", "INVITE", "1INVITE", "1 INVITE x", "-1 INVITE", "1 INV ITE",
    "4294967296 ACK", "36893488147419103232 REGISTER", "1 INV@ITE", "0x1 ACK",
  };
  guint32 n = 0;
  SwsStr m;

  g_assert_true (sws_cseq_parse (sws_str_c ("1 INVITE"), &n, &m, &error));
  g_assert_cmpuint (n, ==, 1);
  assert_str (m, "INVITE");
  g_assert_true (sws_cseq_parse (sws_str_c (" 0009\r\n  INVITE "), &n, &m, &error));
  g_assert_cmpuint (n, ==, 9);
  assert_str (m, "INVITE");
  g_assert_true (sws_cseq_parse (sws_str_c ("4294967295 ACK"), &n, &m, &error));
  g_assert_cmpuint (n, ==, G_MAXUINT32);
  g_assert_true (sws_cseq_parse (sws_str_c ("0 RE%47IST%45R"), NULL, NULL, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (sws_cseq_parse (sws_str_c (bad[i]), &n, &m, &error));
      g_assert_error (error, SWS_SIP_ERROR, 400);
      g_assert_cmpstr (error->message, ==, "Malformed CSeq");
      g_clear_error (&error);
    }
}

/* ---- comma lists ---- */

static void
assert_list (const char *text, const char * const *expected, guint n_expected)
{
  SwsListIter iter;
  SwsStr e;
  guint n = 0;

  sws_list_iter_init (&iter, sws_str_c (text));
  while (sws_list_iter_next (&iter, &e))
    {
      g_assert_cmpuint (n, <, n_expected);
      assert_str (e, expected[n]);
      n++;
    }
  g_assert_cmpuint (n, ==, n_expected);
  g_assert_false (sws_list_iter_next (&iter, &e));
}

static void
test_list_split (void)
{
  static const char *simple[] = { "a", "b", "c" };
  static const char *quoted[] = { "\"x, y\" <sip:a@example.com>", "<sip:c,d@example.com>;q=1" };
  static const char *empties[] = { "", "", "" };
  static const char *trailing[] = { "a", "" };
  static const char *escaped[] = { "\"a\\\",b\" <sip:x@example.com>", "c" };
  static const char *folded[] = { "application/sdp", "application/pkcs7-mime", "multipart/mixed" };
  static const char *unterminated[] = { "a", "\"b, c" };
  static const char *badinv01[] = { "SIP/2.0/UDP 192.0.2.15;;", ";", "", "" };
  SwsListIter iter;

  assert_list ("a, b ,c", simple, 3);
  assert_list (" \"x, y\" <sip:a@example.com> , <sip:c,d@example.com>;q=1", quoted, 2);
  assert_list (",,", empties, 3);
  assert_list ("a,", trailing, 2);
  assert_list ("\"a\\\",b\" <sip:x@example.com>, c", escaped, 2);
  assert_list ("application/sdp,\r\n  application/pkcs7-mime ,\r\n\tmultipart/mixed", folded, 3);
  assert_list ("a, \"b, c", unterminated, 2);
  assert_list ("SIP/2.0/UDP 192.0.2.15;;,;,,", badinv01, 4);
  assert_list ("", NULL, 0);
  assert_list (" \r\n ", NULL, 0);

  sws_list_iter_init (&iter, SWS_STR_NULL);
  g_assert_false (sws_list_iter_next (&iter, NULL));
}

/* ---- via inside messages ---- */

static void
test_via_compact (void)
{
  g_autoptr(SwsSipMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  const char *text =
    "OPTIONS sip:example.com SIP/2.0\r\n"
    "v: SIP/2.0/WS a.invalid;branch=z9hG4bK1, SIP/2.0/UDP b.example;branch=z9hG4bK2\r\n"
    "V : SIP/2.0/TCP c.example;branch=z9hG4bK3\r\n"
    "f: <sip:a@example.com>;tag=1\r\n"
    "t: <sip:b@example.com>\r\n"
    "i: cid\r\n"
    "CSeq: 1 OPTIONS\r\n"
    "l: 0\r\n\r\n";
  static const char *hosts[] = { "a.invalid", "b.example", "c.example" };
  SwsValueIter iter;
  SwsStr value;
  guint n = 0;

  g_assert_true (sws_sip_message_parse_data (text, -1, &msg, &error));
  g_assert_no_error (error);
  assert_str (msg->top_via.host, "a.invalid");
  assert_str (msg->top_via.transport, "WS");
  assert_str (msg->top_via.branch, "z9hG4bK1");
  g_assert_cmpint (msg->headers[0].id, ==, SWS_HDR_VIA);
  assert_str (msg->headers[0].name, "v");
  assert_str (msg->headers[1].name, "V");

  sws_value_iter_init (&iter, msg, SWS_HDR_VIA);
  while (sws_value_iter_next (&iter, &value))
    {
      SwsVia via;

      g_assert_cmpuint (n, <, 3);
      g_assert_true (sws_via_parse (value, &via, NULL));
      assert_str (via.host, hosts[n]);
      n++;
    }
  g_assert_cmpuint (n, ==, 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sws/parser/header-names/canonical", test_names_canonical);
  g_test_add_func ("/sws/parser/header-names/compact", test_names_compact);
  g_test_add_func ("/sws/parser/header-names/unknown", test_names_unknown);
  g_test_add_func ("/sws/parser/via/basic", test_via_basic);
  g_test_add_func ("/sws/parser/via/params", test_via_params);
  g_test_add_func ("/sws/parser/via/lws", test_via_lws);
  g_test_add_func ("/sws/parser/via/invalid", test_via_invalid);
  g_test_add_func ("/sws/parser/via/compact", test_via_compact);
  g_test_add_func ("/sws/parser/name-addr/forms", test_name_addr_forms);
  g_test_add_func ("/sws/parser/name-addr/params", test_name_addr_params);
  g_test_add_func ("/sws/parser/name-addr/star-and-schemes", test_name_addr_star_and_schemes);
  g_test_add_func ("/sws/parser/name-addr/invalid", test_name_addr_invalid);
  g_test_add_func ("/sws/parser/cseq", test_cseq);
  g_test_add_func ("/sws/parser/list/split", test_list_split);

  return g_test_run ();
}
