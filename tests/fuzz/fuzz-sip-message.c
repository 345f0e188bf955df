/* fuzz-sip-message.c: the SIP parser and everything it parses on demand
 *
 * One input is one WebSocket message. sws_sip_message_parse() checks the
 * start line and the core headers only; the rest is parsed later by
 * whoever needs it. So besides the parse itself, every on-demand parser
 * runs here over what the parser found: each value of each known header
 * through the parser for its kind (Via, name-addr, CSeq, numbers), every
 * URI with its parameters and AOR key, the transaction keys, and the
 * writers that answer and forward a message. Properties checked on top of
 * "no crash": every slice stays inside the input, and what the server
 * writes for a message it accepted parses again with the same identity.
 */

#include <string.h>

#include "sws-sip-forward.h"
#include "sws-sip-message.h"
#include "sws-sip-transaction.h"
#include "sws-sip-writer.h"
#include "sws-fuzz.h"

/* URI and header parameters the server looks up somewhere. */
static const char * const param_names[] = {
  "transport", "lr", "user", "maddr", "ttl", "method", "ob", "gr", "sws",
  "tag", "branch", "received", "rport", "expires", "q", "reg-id",
  "+sip.instance", "pub-gruu", NULL
};

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
exercise_params (const Input *in, SwsStr params)
{
  SwsParamIter iter;
  SwsStr name, value;
  guint n = 0;

  inside (in, params);
  if (!SWS_STR_IS_SET (params))
    return;
  for (guint i = 0; param_names[i] != NULL; i++)
    if (sws_params_get (params, param_names[i], &value))
      inside (in, value);
  sws_param_iter_init (&iter, params);
  while (sws_param_iter_next (&iter, &name, &value))
    {
      inside (in, name);
      inside (in, value);
      g_assert_cmpuint (++n, <=, params.len + 1);
    }
}

static void
exercise_uri (const Input *in, const SwsUri *uri)
{
  g_autofree char *aor = NULL;
  SwsStr value;

  inside (in, uri->whole);
  inside (in, uri->scheme_str);
  inside (in, uri->user);
  inside (in, uri->password);
  inside (in, uri->host);
  inside (in, uri->headers);
  for (guint i = 0; param_names[i] != NULL; i++)
    if (sws_uri_get_param (uri, param_names[i], &value))
      inside (in, value);
  exercise_params (in, uri->params);

  aor = sws_uri_to_aor (uri);
  if (uri->scheme == SWS_URI_SCHEME_SIP || uri->scheme == SWS_URI_SCHEME_SIPS)
    g_assert_nonnull (aor);
}

static void
exercise_name_addr (const Input *in, SwsStr value, gboolean allow_star)
{
  SwsNameAddr na;
  g_autoptr(GError) error = NULL;

  if (!sws_name_addr_parse (value, allow_star, &na, &error))
    {
      g_assert_nonnull (error);
      return;
    }
  inside (in, na.whole);
  inside (in, na.display);
  inside (in, na.uri_text);
  inside (in, na.tag);
  if (!na.star)
    exercise_uri (in, &na.uri);
  exercise_params (in, na.params);
}

static void
exercise_via (const Input *in, SwsStr value)
{
  SwsVia via;
  g_autoptr(GError) error = NULL;

  if (!sws_via_parse (value, &via, &error))
    {
      g_assert_nonnull (error);
      return;
    }
  inside (in, via.protocol);
  inside (in, via.transport);
  inside (in, via.host);
  inside (in, via.branch);
  inside (in, via.received);
  inside (in, via.rport);
  sws_via_branch_is_rfc3261 (&via);
  exercise_params (in, via.params);
}

static void
exercise_headers (const Input *in, const SwsSipMessage *msg)
{
  static const SwsHeaderId numbers[] = {
    SWS_HDR_EXPIRES, SWS_HDR_MIN_EXPIRES, SWS_HDR_MAX_FORWARDS,
    SWS_HDR_CONTENT_LENGTH, SWS_HDR_SESSION_EXPIRES,
  };

  for (guint i = 0; i < msg->n_headers; i++)
    {
      inside (in, msg->headers[i].name);
      inside (in, msg->headers[i].value);
      g_assert_true (sws_header_id_from_name (msg->headers[i].name) == msg->headers[i].id);
    }

  for (SwsHeaderId id = SWS_HDR_OTHER; id < SWS_HDR_N_IDS; id++)
    {
      SwsValueIter iter;
      SwsStr value;
      const SwsHeader *h = sws_sip_message_find (msg, id);

      if (id != SWS_HDR_OTHER)
        g_assert_true (sws_sip_message_find_name (msg, sws_header_id_to_name (id)) == h);
      sws_value_iter_init (&iter, msg, id);
      while (sws_value_iter_next (&iter, &value))
        {
          guint32 number;
          SwsStr method;

          inside (in, value);
          switch (id)
            {
            case SWS_HDR_VIA:
              exercise_via (in, value);
              break;
            case SWS_HDR_FROM:
            case SWS_HDR_TO:
            case SWS_HDR_ROUTE:
            case SWS_HDR_RECORD_ROUTE:
            case SWS_HDR_PATH:
            case SWS_HDR_REFER_TO:
            case SWS_HDR_REFERRED_BY:
              exercise_name_addr (in, value, FALSE);
              break;
            case SWS_HDR_CONTACT:
              exercise_name_addr (in, value, TRUE);
              break;
            case SWS_HDR_CSEQ:
              if (sws_cseq_parse (value, &number, &method, NULL))
                inside (in, method);
              break;
            default:
              break;
            }
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean present;
      guint64 value;

      if (!sws_sip_message_get_uint (msg, numbers[i], G_MAXUINT32, &present, &value, &error))
        g_assert_nonnull (error);
    }
  sws_sip_message_find_name (msg, "X-Unknown");
}

/* What the server writes for an accepted message must parse, with the
 * transaction identity it came with. */
static void
assert_reparses (GBytes *bytes, const SwsSipMessage *original, gboolean is_request)
{
  g_autoptr(SwsSipMessage) again = NULL;
  g_autoptr(GError) error = NULL;

  if (!sws_sip_message_parse (bytes, &again, &error))
    g_error ("own output does not parse (%d %s):\n%.*s", error->code, error->message,
             (int) g_bytes_get_size (bytes), (const char *) g_bytes_get_data (bytes, NULL));
  g_assert_true (again->is_request == is_request);
  g_assert_true (sws_str_equal (again->call_id, original->call_id));
  g_assert_cmpuint (again->cseq, ==, original->cseq);
  g_assert_true (sws_str_equal (again->cseq_method_str, original->cseq_method_str));
}

static guint
count_values (const SwsSipMessage *msg, SwsHeaderId id)
{
  SwsValueIter iter;
  guint n = 0;

  sws_value_iter_init (&iter, msg, id);
  while (sws_value_iter_next (&iter, NULL))
    n++;
  return n;
}

static void
exercise_request (SwsSipMessage *msg, gboolean parsed, guint8 knob)
{
  g_autoptr(GString) key = g_string_new (NULL);
  guint status = 100 + knob % 600;

  sws_sip_message_set_source (msg, knob & 1 ? "2001:db8::7" : "192.0.2.7", 5060 + knob);

  /* The server answers a broken request that has a Via too. */
  if (parsed || sws_sip_message_find (msg, SWS_HDR_VIA) != NULL)
    {
      g_autoptr(GBytes) reply = sws_sip_response_simple (msg, status, "Fuzz", NULL);

      if (parsed)
        assert_reparses (reply, msg, FALSE);
    }
  if (!parsed)
    return;

  sws_sip_server_key (msg, msg->method, key);
  sws_sip_server_key (msg, SWS_METHOD_INVITE, key);

  {
    char branch[SWS_BRANCH_MAX];
    g_autofree char *via = NULL;
    g_autoptr(GBytes) forwarded = NULL;
    guint routes = count_values (msg, SWS_HDR_ROUTE);
    SwsForwardEdits edits = { 0 };

    sws_sip_compute_branch (msg, 0x5eed, branch);
    g_assert_cmpuint (strlen (branch), <, SWS_BRANCH_MAX);
    via = g_strdup_printf ("SIP/2.0/WS 127.0.0.1:5066;branch=%s", branch);
    edits.via = via;
    edits.record_route = knob & 2 ? "<sip:127.0.0.1:5066;transport=ws;lr>" : NULL;
    edits.pop_routes = routes > 0 ? (knob >> 2) % (routes + 1) : 0;
    edits.pop_last_route = routes > edits.pop_routes && (knob & 0x80);
    edits.max_forwards = msg->max_forwards > 0 ? msg->max_forwards - 1 : 70;
    if (knob & 0x40 && msg->request_uri.scheme == SWS_URI_SCHEME_SIP)
      edits.request_uri = sws_str_c ("sip:callee@192.0.2.9;transport=ws");
    forwarded = sws_sip_forward_request (msg, &edits);
    assert_reparses (forwarded, msg, TRUE);
  }

  {
    /* a CANCEL or ACK the server itself builds from the request */
    GString *cancel = sws_sip_request_begin ("CANCEL", msg->request_uri_text,
                                             "SIP/2.0/WS 127.0.0.1:5066;branch=z9hG4bKfuzz");
    g_autoptr(GBytes) bytes = NULL;

    g_string_append_printf (cancel, "CSeq: %u CANCEL\r\n", msg->cseq);
    bytes = sws_sip_message_end (cancel, NULL, NULL, 0);
  }
}

static void
exercise_response (SwsSipMessage *msg, gboolean parsed)
{
  SwsStr branch;

  if (!parsed)
    return;
  if (sws_sip_response_branch (msg, &branch))
    g_assert_true (branch.p == NULL || branch.len < 4096);
  {
    g_autoptr(GBytes) forwarded = sws_sip_forward_response (msg);

    g_assert_nonnull (forwarded);
  }
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
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(SwsSipMessage) msg = NULL;
  g_autoptr(GError) error = NULL;
  Input in = { (const char *) data, size };
  gboolean parsed;

  parsed = sws_sip_message_parse (bytes, &msg, &error);
  g_assert_true (parsed == (error == NULL));
  if (msg == NULL)
    return 0;
  if (!parsed)
    g_assert_true (error->code >= 400 && error->code <= 699);

  inside (&in, sws_str (msg->data, msg->len));
  inside (&in, msg->body);
  exercise_headers (&in, msg);

  if (msg->is_request)
    {
      inside (&in, msg->method_str);
      inside (&in, msg->request_uri_text);
      if (parsed)
        {
          exercise_uri (&in, &msg->request_uri);
          g_assert_nonnull (sws_sip_message_find (msg, SWS_HDR_VIA));
        }
      sws_method_to_string (msg->method);
      exercise_request (msg, parsed, size > 0 ? data[size / 2] : 0);
    }
  else
    {
      inside (&in, msg->reason);
      exercise_response (msg, parsed);
    }
  return 0;
}
