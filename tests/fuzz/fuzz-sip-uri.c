/* fuzz-sip-uri.c: URIs and the small value parsers, one input at a time
 *
 * The input is one header value as the parsers see it after list
 * splitting: a URI, a name-addr, a Via, a CSeq, a parameter list. Each
 * parser gets it; on top of "no crash" the properties checked are that
 * slices stay inside the input and that the AOR key of a SIP URI (the
 * registrar's lookup key) is itself a SIP URI whose key is the same.
 */

#include "sws-sip-header.h"
#include "sws-sip-uri.h"
#include "sws-fuzz.h"

typedef struct {
  const char *base;
  gsize len;
} Input;

static void
inside (const Input *in, SwsStr s)
{
  sws_fuzz_assert_inside (in->base, in->len, s.p, s.len);
}

static void
check_params (const Input *in, SwsStr params)
{
  SwsParamIter iter;
  SwsStr name, value;
  guint n = 0;

  sws_params_get (params, "transport", NULL);
  sws_param_iter_init (&iter, params);
  while (sws_param_iter_next (&iter, &name, &value))
    {
      inside (in, name);
      inside (in, value);
      g_assert_cmpuint (++n, <=, params.len + 1);
    }
}

/* RFC 3261 §10.3: bindings are found by this key, so it must be stable. */
static void
check_aor (const SwsUri *uri)
{
  g_autofree char *aor = sws_uri_to_aor (uri);
  g_autofree char *again_aor = NULL;
  g_autoptr(GError) error = NULL;
  SwsUri again;

  if (uri->scheme != SWS_URI_SCHEME_SIP && uri->scheme != SWS_URI_SCHEME_SIPS)
    {
      g_assert_null (aor);
      return;
    }
  g_assert_nonnull (aor);
  if (!sws_uri_parse (sws_str_c (aor), &again, &error))
    g_error ("AOR key \"%s\" does not parse: %s", aor, error->message);
  g_assert_true (again.scheme == uri->scheme);
  again_aor = sws_uri_to_aor (&again);
  g_assert_cmpstr (again_aor, ==, aor);
}

static void
check_uri (const Input *in, SwsStr text)
{
  g_autoptr(GError) error = NULL;
  SwsUri uri;
  SwsStr value;

  if (!sws_uri_parse (text, &uri, &error))
    {
      g_assert_nonnull (error);
      g_assert_cmpint (error->code, ==, 400);
      return;
    }
  inside (in, uri.whole);
  inside (in, uri.scheme_str);
  inside (in, uri.user);
  inside (in, uri.password);
  inside (in, uri.host);
  inside (in, uri.params);
  inside (in, uri.headers);
  if (uri.scheme == SWS_URI_SCHEME_SIP || uri.scheme == SWS_URI_SCHEME_SIPS)
    g_assert_true (uri.host.len > 0);
  if (sws_uri_get_param (&uri, "lr", &value))
    inside (in, value);
  if (sws_uri_get_param (&uri, "transport", &value))
    inside (in, value);
  check_params (in, uri.params);
  check_aor (&uri);
}

static void
check_name_addr (const Input *in, SwsStr text, gboolean allow_star)
{
  SwsNameAddr na;

  if (!sws_name_addr_parse (text, allow_star, &na, NULL))
    return;
  inside (in, na.whole);
  inside (in, na.display);
  inside (in, na.uri_text);
  inside (in, na.tag);
  inside (in, na.params);
  if (na.star)
    return;
  check_params (in, na.params);
  check_aor (&na.uri);
}

static void
check_via (const Input *in, SwsStr text)
{
  SwsVia via;

  if (!sws_via_parse (text, &via, NULL))
    return;
  inside (in, via.protocol);
  inside (in, via.transport);
  inside (in, via.host);
  inside (in, via.branch);
  inside (in, via.received);
  inside (in, via.rport);
  check_params (in, via.params);
}

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  sws_fuzz_init_logging ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  Input in = { (const char *) data, size };
  SwsStr text = sws_str ((const char *) data, size);
  SwsListIter list;
  SwsStr element, method;
  guint32 number;
  guint n = 0;

  check_uri (&in, text);
  check_name_addr (&in, text, FALSE);
  check_name_addr (&in, text, TRUE);
  check_via (&in, text);
  check_params (&in, text);
  if (sws_cseq_parse (text, &number, &method, NULL))
    inside (&in, method);

  /* and each element of it as a comma-separated list */
  sws_list_iter_init (&list, text);
  while (sws_list_iter_next (&list, &element))
    {
      inside (&in, element);
      g_assert_cmpuint (++n, <=, size + 1);
      check_uri (&in, element);
      check_name_addr (&in, element, TRUE);
    }
  return 0;
}
