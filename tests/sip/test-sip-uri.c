/* test-sip-uri.c: slices, methods, URIs, parameter lists and AOR keys */

#include "sws-sip-uri.h"

#include <string.h>

#define assert_str(s, lit) G_STMT_START {                              \
    g_autofree char *_d = sws_str_dup (s);                              \
    g_assert_cmpstr (_d, ==, (lit));                                    \
  } G_STMT_END

static void
assert_uri_ok (const char *text, SwsUri *uri)
{
  g_autoptr(GError) error = NULL;

  if (!sws_uri_parse (sws_str_c (text), uri, &error))
    g_error ("expected %s to parse: %s", text, error->message);
  g_assert_no_error (error);
}

static void
assert_uri_bad_len (const char *text, gsize len)
{
  g_autoptr(GError) error = NULL;
  SwsUri uri;

  if (sws_uri_parse (sws_str (text, len), &uri, &error))
    g_error ("expected \"%.*s\" to be rejected", (int) len, text);
  g_assert_error (error, SWS_SIP_ERROR, 400);
  g_assert_cmpstr (error->message, ==, "Malformed URI");
  g_assert_null (uri.whole.p);
}

static void
assert_uri_bad (const char *text)
{
  assert_uri_bad_len (text, strlen (text));
}

/* ---- SwsStr ---- */

static void
test_str_compare (void)
{
  g_assert_true (sws_str_equal (sws_str_c ("abc"), sws_str ("abcd", 3)));
  g_assert_false (sws_str_equal (sws_str_c ("abc"), sws_str_c ("ABC")));
  g_assert_true (sws_str_equal (SWS_STR_NULL, SWS_STR_NULL));
  g_assert_false (sws_str_equal (SWS_STR_NULL, sws_str ("", 0)));
  g_assert_true (sws_str_equal_ci (sws_str_c ("Call-ID"), sws_str_c ("cALL-id")));
  g_assert_false (sws_str_equal_ci (sws_str_c ("Call-ID"), sws_str_c ("Call-I")));
  g_assert_true (sws_str_is (sws_str_c ("REGISTER"), "register"));
  g_assert_false (sws_str_is (sws_str_c ("REGISTE"), "register"));
  g_assert_false (sws_str_is (sws_str_c ("REGISTERS"), "register"));
  g_assert_false (sws_str_is (SWS_STR_NULL, ""));
  g_assert_true (sws_str_is (sws_str ("x", 0), ""));
  /* a NUL inside the slice does not end it */
  g_assert_false (sws_str_is (sws_str ("ab\0c", 4), "ab"));
  g_assert_null (sws_str_dup (SWS_STR_NULL));
}

static void
test_str_trim (void)
{
  SwsStr t;

  t = sws_str_trim (sws_str_c (" \t\r\n a b \r\n "));
  assert_str (t, "a b");
  t = sws_str_trim (sws_str_c ("   "));
  g_assert_nonnull (t.p);
  g_assert_cmpuint (t.len, ==, 0);
  t = sws_str_trim (SWS_STR_NULL);
  g_assert_null (t.p);
}

static void
test_str_uint (void)
{
  guint64 v = 7;

  g_assert_true (sws_str_to_uint64 (sws_str_c ("0"), 10, &v));
  g_assert_cmpuint (v, ==, 0);
  g_assert_true (sws_str_to_uint64 (sws_str_c ("0068"), 255, &v));
  g_assert_cmpuint (v, ==, 68);
  g_assert_true (sws_str_to_uint64 (sws_str_c ("4294967295"), G_MAXUINT32, &v));
  g_assert_cmpuint (v, ==, G_MAXUINT32);
  g_assert_false (sws_str_to_uint64 (sws_str_c ("4294967296"), G_MAXUINT32, &v));
  g_assert_true (sws_str_to_uint64 (sws_str_c ("18446744073709551615"), G_MAXUINT64, &v));
  g_assert_cmpuint (v, ==, G_MAXUINT64);
  g_assert_false (sws_str_to_uint64 (sws_str_c ("18446744073709551616"), G_MAXUINT64, &v));
  g_assert_false (sws_str_to_uint64 (sws_str_c ("36893488147419103232"), G_MAXUINT64, &v));
  g_assert_false (sws_str_to_uint64 (sws_str_c ("256"), 255, &v));
  g_assert_false (sws_str_to_uint64 (sws_str_c (""), 255, &v));
  g_assert_false (sws_str_to_uint64 (SWS_STR_NULL, 255, &v));
  g_assert_false (sws_str_to_uint64 (sws_str_c ("-1"), 255, &v));
  g_assert_false (sws_str_to_uint64 (sws_str_c ("+1"), 255, &v));
  g_assert_false (sws_str_to_uint64 (sws_str_c (" 1"), 255, &v));
  g_assert_false (sws_str_to_uint64 (sws_str_c ("1 "), 255, &v));
  g_assert_false (sws_str_to_uint64 (sws_str ("1\0", 2), 255, &v));
  g_assert_cmpuint (v, ==, G_MAXUINT64);  /* untouched on failure */
}

static void
test_methods (void)
{
  for (SwsMethod m = SWS_METHOD_INVITE; m <= SWS_METHOD_PUBLISH; m++)
    {
      const char *name = sws_method_to_string (m);

      g_assert_nonnull (name);
      g_assert_cmpint (sws_method_from_str (sws_str_c (name)), ==, m);
    }
  g_assert_null (sws_method_to_string (SWS_METHOD_UNKNOWN));
  g_assert_cmpstr (sws_method_to_string (SWS_METHOD_REGISTER), ==, "REGISTER");
  /* §7.1: case-sensitive */
  g_assert_cmpint (sws_method_from_str (sws_str_c ("invite")), ==, SWS_METHOD_UNKNOWN);
  g_assert_cmpint (sws_method_from_str (sws_str_c ("INVITEX")), ==, SWS_METHOD_UNKNOWN);
  g_assert_cmpint (sws_method_from_str (sws_str_c ("INVIT")), ==, SWS_METHOD_UNKNOWN);
  g_assert_cmpint (sws_method_from_str (sws_str_c ("RE%47IST%45R")), ==, SWS_METHOD_UNKNOWN);
  g_assert_cmpint (sws_method_from_str (sws_str_c ("")), ==, SWS_METHOD_UNKNOWN);
  g_assert_cmpint (sws_method_from_str (SWS_STR_NULL), ==, SWS_METHOD_UNKNOWN);
  g_assert_cmpint (sws_method_from_str (sws_str ("ACK\0", 4)), ==, SWS_METHOD_UNKNOWN);
}

static void
test_error_quark (void)
{
  g_assert_cmpstr (g_quark_to_string (SWS_SIP_ERROR), ==, "sws-sip-error-quark");
}

/* ---- URIs ---- */

static void
test_uri_basic (void)
{
  SwsUri uri;

  assert_uri_ok ("sip:alice@example.com", &uri);
  g_assert_cmpint (uri.scheme, ==, SWS_URI_SCHEME_SIP);
  assert_str (uri.scheme_str, "sip");
  assert_str (uri.whole, "sip:alice@example.com");
  assert_str (uri.user, "alice");
  g_assert_null (uri.password.p);
  assert_str (uri.host, "example.com");
  g_assert_cmpuint (uri.port, ==, 0);
  g_assert_null (uri.params.p);
  g_assert_null (uri.headers.p);

  assert_uri_ok ("sip:example.com", &uri);
  g_assert_null (uri.user.p);
  assert_str (uri.host, "example.com");
}

static void
test_uri_full (void)
{
  SwsUri uri;
  SwsStr v;

  assert_uri_ok ("sips:alice:s3cr%65t@Example.COM:5061;transport=wss;lr?subject=hi&priority=", &uri);
  g_assert_cmpint (uri.scheme, ==, SWS_URI_SCHEME_SIPS);
  assert_str (uri.user, "alice");
  assert_str (uri.password, "s3cr%65t");
  assert_str (uri.host, "Example.COM");
  g_assert_cmpuint (uri.port, ==, 5061);
  assert_str (uri.params, "transport=wss;lr");
  assert_str (uri.headers, "subject=hi&priority=");

  g_assert_true (sws_uri_get_param (&uri, "TRANSPORT", &v));
  assert_str (v, "wss");
  g_assert_true (sws_uri_get_param (&uri, "lr", &v));
  g_assert_nonnull (v.p);
  g_assert_cmpuint (v.len, ==, 0);
  g_assert_true (sws_uri_get_param (&uri, "lr", NULL));
  g_assert_false (sws_uri_get_param (&uri, "maddr", &v));

  /* empty password */
  assert_uri_ok ("sip:alice:@example.com", &uri);
  g_assert_nonnull (uri.password.p);
  g_assert_cmpuint (uri.password.len, ==, 0);
}

static void
test_uri_scheme_case (void)
{
  SwsUri uri;

  assert_uri_ok ("SIP:Bob@EXAMPLE.org", &uri);
  g_assert_cmpint (uri.scheme, ==, SWS_URI_SCHEME_SIP);
  assert_str (uri.scheme_str, "SIP");
  assert_uri_ok ("SiPs:bob@example.org", &uri);
  g_assert_cmpint (uri.scheme, ==, SWS_URI_SCHEME_SIPS);
}

static void
test_uri_tel_and_other (void)
{
  SwsUri uri;

  assert_uri_ok ("tel:+1-201-555-0123;phone-context=example.com", &uri);
  g_assert_cmpint (uri.scheme, ==, SWS_URI_SCHEME_TEL);
  g_assert_null (uri.host.p);
  g_assert_null (uri.user.p);

  assert_uri_ok ("http://www.example.com/a?b=c", &uri);
  g_assert_cmpint (uri.scheme, ==, SWS_URI_SCHEME_OTHER);
  assert_str (uri.scheme_str, "http");
  assert_uri_ok ("isbn:2983792873", &uri);
  g_assert_cmpint (uri.scheme, ==, SWS_URI_SCHEME_OTHER);
  assert_uri_ok ("soap.beep://192.0.2.103:3002", &uri);
  assert_str (uri.scheme_str, "soap.beep");
  assert_uri_ok ("nobodyKnowsThisScheme:totallyopaquecontent", &uri);
  g_assert_cmpint (uri.scheme, ==, SWS_URI_SCHEME_OTHER);
  g_assert_null (sws_uri_to_aor (&uri));

  assert_uri_bad ("http:");
  assert_uri_bad ("http://a b");
  assert_uri_bad ("mailto:a\"b");
  assert_uri_bad ("tel:");
}

static void
test_uri_ipv6 (void)
{
  SwsUri uri;

  assert_uri_ok ("sip:[::1]:5060", &uri);
  assert_str (uri.host, "[::1]");
  g_assert_cmpuint (uri.port, ==, 5060);
  assert_uri_ok ("sip:alice@[2001:db8::1];transport=ws", &uri);
  assert_str (uri.host, "[2001:db8::1]");
  assert_str (uri.params, "transport=ws");
  assert_uri_ok ("sip:[2001:db8:0:0:0:0:0:1]", &uri);
  assert_uri_ok ("sip:[::ffff:192.0.2.1]:5070", &uri);
  assert_uri_ok ("sip:[1::]", &uri);
  assert_uri_ok ("sip:[::]", &uri);
  assert_uri_ok ("sip:[1:2:3:4:5:6:7::]", &uri);
  assert_uri_ok ("sip:[1:2:3:4:5:6:1.2.3.4]", &uri);

  assert_uri_bad ("sip:[::1");
  assert_uri_bad ("sip:[]");
  assert_uri_bad ("sip:[::1]x");
  assert_uri_bad ("sip:[1:2:3:4:5:6:7:8:9]");
  assert_uri_bad ("sip:[1:2:3:4:5:6:7]");
  assert_uri_bad ("sip:[::1::2]");
  assert_uri_bad ("sip:[12345::]");
  assert_uri_bad ("sip:[:1]");
  assert_uri_bad ("sip:[1:]");
  assert_uri_bad ("sip:[:::]");
  assert_uri_bad ("sip:[g::1]");
  assert_uri_bad ("sip:[::1.2.3]");
  assert_uri_bad ("sip:[::1.2.3.4:5]");
  assert_uri_bad ("sip:::1");
}

static void
test_uri_ipv4_and_hostnames (void)
{
  SwsUri uri;

  assert_uri_ok ("sip:192.0.2.1", &uri);
  assert_uri_ok ("sip:255.255.255.255:1", &uri);
  assert_uri_ok ("sip:example.com.", &uri);
  assert_uri_ok ("sip:a-b.c-d.example", &uri);
  assert_uri_ok ("sip:1host.example.com", &uri);
  assert_uri_ok ("sip:df7jal23ls0d.invalid;transport=ws", &uri);
  assert_uri_ok ("sip:localhost", &uri);

  assert_uri_bad ("sip:256.1.1.1");
  assert_uri_bad ("sip:1.2.3");
  assert_uri_bad ("sip:1.2.3.4.5");
  assert_uri_bad ("sip:1..2.3");
  assert_uri_bad ("sip:1234.1.1.1");
  assert_uri_bad ("sip:-a.example.com");
  assert_uri_bad ("sip:a-.example.com");
  assert_uri_bad ("sip:a..example.com");
  assert_uri_bad ("sip:.example.com");
  assert_uri_bad ("sip:example.123");
  assert_uri_bad ("sip:host_1.example.com");
  assert_uri_bad ("sip:alice@");
  assert_uri_bad ("sip:alice@.");
}

static void
test_uri_port (void)
{
  SwsUri uri;

  assert_uri_ok ("sip:a@b.example:65535", &uri);
  g_assert_cmpuint (uri.port, ==, 65535);
  assert_uri_ok ("sip:a@b.example:00001", &uri);
  g_assert_cmpuint (uri.port, ==, 1);

  assert_uri_bad ("sip:a@b.example:0");
  assert_uri_bad ("sip:a@b.example:65536");
  assert_uri_bad ("sip:a@b.example:99999999999999999999999");
  assert_uri_bad ("sip:a@b.example:");
  assert_uri_bad ("sip:a@b.example:12a");
  assert_uri_bad ("sip:a@b.example:-1");
  assert_uri_bad ("sip:a@b.example:5060:5060");
}

static void
test_uri_escapes (void)
{
  SwsUri uri;

  assert_uri_ok ("sip:%75se%72@example.com", &uri);
  assert_str (uri.user, "%75se%72");
  assert_uri_ok ("sip:sips%3Auser%40example.com@example.net", &uri);
  assert_str (uri.user, "sips%3Auser%40example.com");
  assert_str (uri.host, "example.net");
  assert_uri_ok ("sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31", &uri);
  assert_str (uri.params, "%6C%72;n%61me=v%61lue%25%34%31");
  assert_uri_ok ("sip:user@example.com?Route=%3Csip:example.com%3E", &uri);
  assert_str (uri.headers, "Route=%3Csip:example.com%3E");

  assert_uri_bad ("sip:%4@example.com");
  assert_uri_bad ("sip:%zz@example.com");
  assert_uri_bad ("sip:a%@example.com");
  assert_uri_bad ("sip:a@example.com;p=%");
  assert_uri_bad ("sip:a@example.com?h=%g0");
  assert_uri_bad ("sip:I have spaces@example.net");
}

static void
test_uri_user_chars (void)
{
  SwsUri uri;

  /* RFC 4475 semiuri: ';' and an escaped '@' belong to the user part */
  assert_uri_ok ("sip:user;par=u%40example.net@example.com", &uri);
  assert_str (uri.user, "user;par=u%40example.net");
  assert_str (uri.host, "example.com");
  g_assert_null (uri.params.p);

  /* RFC 4475 intmeth */
  assert_uri_ok ("sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com", &uri);
  assert_str (uri.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  assert_str (uri.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
  assert_str (uri.host, "example.com");

  assert_uri_ok ("sip:+1-(201)-555-0123;isub=1@gw.example.net;user=phone", &uri);
  assert_str (uri.user, "+1-(201)-555-0123;isub=1");
  assert_str (uri.params, "user=phone");

  assert_uri_bad ("sip:@example.com");
  assert_uri_bad ("sip::pw@example.com");
  assert_uri_bad ("sip:a<b@example.com");
  assert_uri_bad ("sip:a#b@example.com");
  assert_uri_bad ("sip:a@b@example.com");
  assert_uri_bad ("sip:a:p@ss@example.com");
}

static void
test_uri_params_and_headers (void)
{
  SwsUri uri;
  SwsStr v;

  assert_uri_ok ("sip:services.example.com;lr;unknownwith=value;unknown-no-value", &uri);
  g_assert_true (sws_uri_get_param (&uri, "unknownwith", &v));
  assert_str (v, "value");
  g_assert_true (sws_uri_get_param (&uri, "UNKNOWN-NO-VALUE", &v));
  g_assert_cmpuint (v.len, ==, 0);
  g_assert_false (sws_uri_get_param (&uri, "unknown", &v));
  assert_uri_ok ("sip:h.example;maddr=[::1];a=b:c/d", &uri);

  assert_uri_bad ("sip:a@b.example;");
  assert_uri_bad ("sip:a@b.example;;lr");
  assert_uri_bad ("sip:a@b.example;=x");
  assert_uri_bad ("sip:a@b.example;a=");
  assert_uri_bad ("sip:a@b.example;a=\"q\"");
  assert_uri_bad ("sip:a@b.example?");
  assert_uri_bad ("sip:a@b.example?h");
  assert_uri_bad ("sip:a@b.example?=v");
  assert_uri_bad ("sip:a@b.example?a=b&");
  assert_uri_bad ("sip:a@b.example?a=b?c=d@e");

  assert_uri_ok ("sip:a@b.example?a=&b=c", &uri);
  assert_str (uri.headers, "a=&b=c");
}

static void
test_uri_invalid (void)
{
  assert_uri_bad ("");
  assert_uri_bad_len (NULL, 0);
  assert_uri_bad ("sip");
  assert_uri_bad ("sip:");
  assert_uri_bad ("1sip:a@b.example");
  assert_uri_bad (":a@b.example");
  assert_uri_bad (" sip:a@b.example");
  assert_uri_bad ("sip:a@b.example ");
  assert_uri_bad ("<sip:a@b.example>");
  assert_uri_bad ("sip:a@b.example>");
  assert_uri_bad ("sip:a@b.example; lr");
  assert_uri_bad ("sip:a@b.example\r\n");
  assert_uri_bad_len ("sip:a@b.example\0x", 17);
  assert_uri_bad_len ("sip:a\0@b.example", 16);
  assert_uri_bad ("sip:a@b.exam\x7fple");
  assert_uri_bad ("sip:a@b.exam\xc3\xa9ple");
}

static void
test_uri_truncations (void)
{
  const char *text = "sips:alice:pw@[2001:db8::1]:5061;transport=ws;lr?h=v&i=w";
  gsize len = strlen (text);

  /* every prefix either parses or fails cleanly, never reads past len */
  for (gsize i = 0; i <= len; i++)
    {
      g_autofree char *copy = g_memdup2 (text, i ? i : 1);
      SwsUri uri;

      if (sws_uri_parse (sws_str (copy, i), &uri, NULL))
        g_assert_cmpuint (uri.whole.len, ==, i);
    }
}

/* ---- AOR keys ---- */

static void
assert_aor (const char *text, const char *expected, gsize expected_len)
{
  g_autofree char *aor = NULL;
  SwsUri uri;

  assert_uri_ok (text, &uri);
  aor = sws_uri_to_aor (&uri);
  g_assert_nonnull (aor);
  g_assert_cmpmem (aor, strlen (aor), expected, expected_len);
}

static void
test_aor (void)
{
  assert_aor ("sip:alice@EXAMPLE.Com:5060;transport=ws?x=y",
              "sip:alice@example.com", 21);
  assert_aor ("sips:Alice:pw@example.com", "sips:Alice@example.com", 22);
  assert_aor ("sip:example.com", "sip:example.com", 15);
  assert_aor ("SIP:[2001:DB8::1]", "sip:[2001:db8::1]", 17);
  /* unreserved escapes decode, others are normalised to uppercase */
  assert_aor ("sip:%75se%72@example.com", "sip:user@example.com", 20);
  assert_aor ("sip:cal%6cer@h.example", "sip:caller@h.example", 20);
  assert_aor ("sip:sips%3auser%40example.com@example.net",
              "sip:sips%3Auser%40example.com@example.net", 41);
  assert_aor ("sip:I%20have%20spaces@example.net",
              "sip:I%20have%20spaces@example.net", 33);
  assert_aor ("sip:%7e%2D%2e%5F@x.example", "sip:~-._@x.example", 18);
  /* RFC 4475 escnull: the key keeps %00 and is never cut short */
  assert_aor ("sip:null-%00-null@example.com", "sip:null-%00-null@example.com", 29);
  assert_aor ("sip:%00@host5.example.com", "sip:%00@host5.example.com", 25);
  assert_aor ("sip:%00%00@host5.example.com", "sip:%00%00@host5.example.com", 28);
  assert_aor ("sip:user;par=u%40example.net@example.com",
              "sip:user;par=u%40example.net@example.com", 40);
}

static void
test_aor_non_sip (void)
{
  SwsUri uri;

  assert_uri_ok ("tel:+12015550123", &uri);
  g_assert_null (sws_uri_to_aor (&uri));
  memset (&uri, 0, sizeof uri);
  g_assert_null (sws_uri_to_aor (&uri));
}

/* ---- parameter lists ---- */

static void
test_params_iter (void)
{
  static const char *expected[][2] = {
    { "a", "1" }, { "b", "" }, { "c", "\"x;y\\\"z\"" }, { "d", "4" },
    { "E", "" }, { "tag", "98asjd8" },
  };
  const char *text = "a=1; b ;c=\"x;y\\\"z\" ;; d = 4;E\r\n  ;\r\n  tag = 98asjd8";
  SwsParamIter iter;
  SwsStr name, value;
  guint n = 0;

  sws_param_iter_init (&iter, sws_str_c (text));
  while (sws_param_iter_next (&iter, &name, &value))
    {
      g_assert_cmpuint (n, <, G_N_ELEMENTS (expected));
      assert_str (name, expected[n][0]);
      assert_str (value, expected[n][1]);
      g_assert_nonnull (value.p);
      n++;
    }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (expected));
  g_assert_false (sws_param_iter_next (&iter, &name, &value));

  sws_param_iter_init (&iter, SWS_STR_NULL);
  g_assert_false (sws_param_iter_next (&iter, &name, &value));
  sws_param_iter_init (&iter, sws_str_c (" ; ;; "));
  g_assert_false (sws_param_iter_next (&iter, NULL, NULL));

  /* an unterminated quoted value runs to the end */
  sws_param_iter_init (&iter, sws_str_c ("q=\"abc;d=1"));
  g_assert_true (sws_param_iter_next (&iter, &name, &value));
  assert_str (value, "\"abc;d=1");
  g_assert_false (sws_param_iter_next (&iter, &name, &value));
}

static void
test_params_get (void)
{
  SwsStr params = sws_str_c ("branch=z9hG4bK1;RPort;received=192.0.2.1;x=\"a b\"");
  SwsStr v;

  g_assert_true (sws_params_get (params, "BRANCH", &v));
  assert_str (v, "z9hG4bK1");
  g_assert_true (sws_params_get (params, "rport", &v));
  g_assert_cmpuint (v.len, ==, 0);
  g_assert_true (sws_params_get (params, "x", &v));
  assert_str (v, "\"a b\"");
  g_assert_false (sws_params_get (params, "rec", &v));
  g_assert_false (sws_params_get (params, "", &v));
  g_assert_false (sws_params_get (SWS_STR_NULL, "x", &v));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sws/types/str/compare", test_str_compare);
  g_test_add_func ("/sws/types/str/trim", test_str_trim);
  g_test_add_func ("/sws/types/str/uint64", test_str_uint);
  g_test_add_func ("/sws/types/methods", test_methods);
  g_test_add_func ("/sws/types/error-quark", test_error_quark);
  g_test_add_func ("/sws/uri/basic", test_uri_basic);
  g_test_add_func ("/sws/uri/full", test_uri_full);
  g_test_add_func ("/sws/uri/scheme-case", test_uri_scheme_case);
  g_test_add_func ("/sws/uri/tel-and-other", test_uri_tel_and_other);
  g_test_add_func ("/sws/uri/ipv6", test_uri_ipv6);
  g_test_add_func ("/sws/uri/ipv4-and-hostnames", test_uri_ipv4_and_hostnames);
  g_test_add_func ("/sws/uri/port", test_uri_port);
  g_test_add_func ("/sws/uri/escapes", test_uri_escapes);
  g_test_add_func ("/sws/uri/user-chars", test_uri_user_chars);
  g_test_add_func ("/sws/uri/params-and-headers", test_uri_params_and_headers);
  g_test_add_func ("/sws/uri/invalid", test_uri_invalid);
  g_test_add_func ("/sws/uri/truncations", test_uri_truncations);
  g_test_add_func ("/sws/uri/aor", test_aor);
  g_test_add_func ("/sws/uri/aor-non-sip", test_aor_non_sip);
  g_test_add_func ("/sws/params/iter", test_params_iter);
  g_test_add_func ("/sws/params/get", test_params_get);

  return g_test_run ();
}
