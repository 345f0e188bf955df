/* sws-sip-message.c: SIP message parser (RFC 3261 §7), one allocation per message */

#include "sws-sip-message.h"
#include "sws-sip-private.h"

#include <string.h>

G_STATIC_ASSERT (SWS_HDR_N_IDS <= 64);
G_STATIC_ASSERT (G_ALIGNOF (SwsSipMessage) >= G_ALIGNOF (SwsHeader));

#define BIT(id) (G_GUINT64_CONSTANT (1) << (id))

/* Headers that may appear once only, with one value (RFC 3261 §7.3.1,
 * RFC 4475 multi01, mcl01) */
#define SINGLE_VALUED (BIT (SWS_HDR_FROM) | BIT (SWS_HDR_TO) |                 \
                       BIT (SWS_HDR_CALL_ID) | BIT (SWS_HDR_CSEQ) |            \
                       BIT (SWS_HDR_MAX_FORWARDS) | BIT (SWS_HDR_CONTENT_LENGTH) | \
                       BIT (SWS_HDR_CONTENT_TYPE) | BIT (SWS_HDR_EXPIRES))

/* Where the parts of a message are, found by one memchr() pass. */
typedef struct {
  const char *start_line_end;   /* before its CRLF */
  const char *headers;          /* first header line */
  const char *headers_end;      /* start of the empty line, or end of data */
  const char *body;
  guint n_headers;
} Split;

/* Lines end in CRLF; a bare LF is tolerated (RFC 3261 §7.5 says
 * implementations should be liberal). Returns the end of the line's
 * content and sets *next to the start of the following line. */
static inline const char *
line_end (const char  *p,
          const char  *end,
          const char **next)
{
  const char *nl = memchr (p, '\n', (gsize) (end - p));

  if (nl == NULL)
    {
      *next = end;
      return end;
    }
  *next = nl + 1;
  return (nl > p && nl[-1] == '\r') ? nl - 1 : nl;
}

static inline gboolean
is_wsp (char c)
{
  return c == ' ' || c == '\t';
}

static gboolean
split_message (const char *p,
               const char *end,
               Split      *split)
{
  const char *next;

  split->start_line_end = line_end (p, end, &next);
  split->headers = p = next;
  split->n_headers = 0;

  while (p < end)
    {
      const char *le = line_end (p, end, &next);

      if (le == p)
        {
          split->headers_end = p;
          split->body = next;
          return TRUE;
        }
      /* a line starting with WSP continues the previous one (§7.3.1) */
      if (!is_wsp (*p))
        split->n_headers++;
      else if (split->n_headers == 0)
        return FALSE;
      p = next;
    }

  /* no empty line: the WebSocket message is the frame (RFC 7118 §5), so
   * the header section simply ends with the data (RFC 4475 baddn) */
  split->headers_end = split->body = end;
  return TRUE;
}

/* Fill msg->headers; returns FALSE (after storing every well-formed
 * line) when some line is not `token LWS ":" value`. */
static gboolean
fill_headers (SwsSipMessage *msg,
              const Split   *split,
              guint64       *repeated)
{
  const char *p = split->headers, *end = split->headers_end;
  gboolean ok = TRUE;

  while (p < end)
    {
      const char *next, *vend = line_end (p, end, &next), *colon, *nend;
      SwsHeader *h;

      while (next < end && is_wsp (*next))
        vend = line_end (next, end, &next);

      colon = memchr (p, ':', (gsize) (vend - p));
      nend = colon;
      while (nend != NULL && nend > p && sws_is_lws (nend[-1]))
        nend--;
      if (colon == NULL || nend == p ||
          sws_skip_class (p, nend, SWS_CC_TOKEN) != nend)
        {
          ok = FALSE;
          p = next;
          continue;
        }

      h = &msg->headers[msg->n_headers];
      h->name = sws_str_range (p, nend);
      h->id = sws_header_id_from_name (h->name);
      h->value = sws_str_trim (sws_str_range (colon + 1, vend));
      if (msg->first[h->id] < 0)
        msg->first[h->id] = (gint16) msg->n_headers;
      else if (SINGLE_VALUED & BIT (h->id))
        *repeated |= BIT (h->id);
      msg->n_headers++;
      p = next;
    }

  return ok;
}

static gboolean
parse_status_line (SwsSipMessage *msg,
                   const char    *p,
                   const char    *end,
                   GError       **error)
{
  const char *version = p, *sp = memchr (p, ' ', (gsize) (end - p)), *q;
  guint64 code;

  msg->is_request = FALSE;
  if (sp == NULL)
    return sws_sip_fail (error, 400, "Malformed status line");

  for (q = sp; q < end && *q == ' '; q++)
    ;
  p = q;
  while (q < end && *q >= '0' && *q <= '9')
    q++;
  if (q < end && *q != ' ')
    return sws_sip_fail (error, 400, "Malformed status line");
  /* Status-Code = 3DIGIT; RFC 4475 bigcode: anything else is dropped */
  if (q - p != 3 || !sws_str_to_uint64 (sws_str_range (p, q), 699, &code) ||
      code < 100)
    return sws_sip_fail (error, 400, "Invalid status code");
  msg->status = (guint) code;

  msg->reason = q < end ? sws_str_range (q + 1, end) : sws_str (end, 0);
  for (gsize i = 0; i < msg->reason.len; i++)
    {
      guchar c = (guchar) msg->reason.p[i];

      if ((c < 0x20 && c != '\t') || c == 0x7f)
        return sws_sip_fail (error, 400, "Malformed status line");
    }

  if (!sws_str_is (sws_str_range (version, sp), "SIP/2.0"))
    return sws_sip_fail (error, 505, "Version Not Supported");
  return TRUE;
}

/* Request-Line = Method SP Request-URI SP SIP-Version (§7.1). Extra SP
 * are tolerated (RFC 4475 lwsstart, trws); LWS inside the URI is not
 * (lwsruri). *split_ok tells whether the three parts were found. */
static gboolean
parse_request_line (SwsSipMessage *msg,
                    const char    *p,
                    const char    *end,
                    gboolean      *split_ok,
                    GError       **error)
{
  const char *sp1 = memchr (p, ' ', (gsize) (end - p)), *sp2, *u;

  msg->is_request = TRUE;
  *split_ok = FALSE;
  if (sp1 == NULL)
    return sws_sip_fail (error, 400, "Malformed request line");

  u = sp1;
  while (u < end && is_wsp (*u))
    u++;
  while (end > u && is_wsp (end[-1]))
    end--;
  for (sp2 = end; sp2 > u && !is_wsp (sp2[-1]); sp2--)
    ;
  if (sp2 == u)
    return sws_sip_fail (error, 400, "Malformed request line");
  *split_ok = TRUE;

  msg->method_str = sws_str_range (p, sp1);
  msg->method = sws_method_from_str (msg->method_str);
  msg->request_uri_text = sws_str_trim (sws_str_range (u, sp2));

  if (sws_skip_class (p, sp1, SWS_CC_TOKEN) != sp1 || sp1 == p)
    return sws_sip_fail (error, 400, "Malformed request line");
  if (!sws_str_is (sws_str_range (sp2, end), "SIP/2.0"))
    return sws_sip_fail (error, 505, "Version Not Supported");
  /* no '<>' (ltgtruri), no LWS (lwsruri): sws_uri_parse() rejects both */
  if (!sws_uri_parse (msg->request_uri_text, &msg->request_uri, NULL))
    return sws_sip_fail (error, 400, "Malformed Request-URI");
  /* §19.1.5: headers are not allowed in a Request-URI (RFC 4475 escruri) */
  if ((msg->request_uri.scheme == SWS_URI_SCHEME_SIP ||
       msg->request_uri.scheme == SWS_URI_SCHEME_SIPS) &&
      msg->request_uri.headers.p != NULL)
    return sws_sip_fail (error, 400, "Headers not allowed in Request-URI");
  return TRUE;
}

/* callid = word [ "@" word ] (§25.1) */
static gboolean
call_id_is_valid (SwsStr id)
{
  const char *p = id.p, *end = p + id.len, *q;

  q = sws_skip_class (p, end, SWS_CC_WORD);
  if (q == p)
    return FALSE;
  if (q < end && *q == '@')
    {
      p = q + 1;
      q = sws_skip_class (p, end, SWS_CC_WORD);
      if (q == p)
        return FALSE;
    }
  return q == end;
}

static gboolean
has_several_values (const SwsHeader *h)
{
  SwsListIter iter;

  sws_list_iter_init (&iter, h->value);
  return sws_list_iter_next (&iter, NULL) && sws_list_iter_next (&iter, NULL);
}

static gboolean
parse_name_addr_header (const SwsSipMessage *msg,
                        SwsHeaderId          id,
                        SwsNameAddr         *na,
                        GError             **error)
{
  const SwsHeader *h = sws_sip_message_find (msg, id);

  if (h == NULL)
    return sws_sip_fail (error, 400, id == SWS_HDR_FROM ? "Missing From" : "Missing To");
  /* one value only: a second one after ',' makes the parse fail too */
  if (!sws_name_addr_parse (h->value, FALSE, na, NULL))
    return sws_sip_fail (error, 400, id == SWS_HDR_FROM ? "Malformed From" : "Malformed To");
  return TRUE;
}

static gboolean
check_core_headers (SwsSipMessage *msg,
                    guint64        repeated,
                    GError       **error)
{
  const SwsHeader *h;
  SwsListIter iter;
  SwsStr top;
  guint64 v;

  h = sws_sip_message_find (msg, SWS_HDR_VIA);
  if (h == NULL)
    return sws_sip_fail (error, 400, "Missing Via");
  sws_list_iter_init (&iter, h->value);
  if (!sws_list_iter_next (&iter, &top) || !sws_via_parse (top, &msg->top_via, NULL))
    return sws_sip_fail (error, 400, "Malformed Via");

  if (repeated != 0)
    {
      for (guint id = 0; id < SWS_HDR_N_IDS; id++)
        if (repeated & BIT (id))
          {
            g_set_error (error, SWS_SIP_ERROR, 400, "Multiple %s headers",
                         sws_header_id_to_name (id));
            return FALSE;
          }
    }

  if (!parse_name_addr_header (msg, SWS_HDR_FROM, &msg->from, error) ||
      !parse_name_addr_header (msg, SWS_HDR_TO, &msg->to, error))
    return FALSE;

  h = sws_sip_message_find (msg, SWS_HDR_CALL_ID);
  if (h == NULL)
    return sws_sip_fail (error, 400, "Missing Call-ID");
  if (!call_id_is_valid (h->value))
    return sws_sip_fail (error, 400, "Malformed Call-ID");
  msg->call_id = h->value;

  h = sws_sip_message_find (msg, SWS_HDR_CSEQ);
  if (h == NULL)
    return sws_sip_fail (error, 400, "Missing CSeq");
  if (!sws_cseq_parse (h->value, &msg->cseq, &msg->cseq_method_str, NULL))
    return sws_sip_fail (error, 400, "Malformed CSeq");
  msg->cseq_method = sws_method_from_str (msg->cseq_method_str);
  /* §8.2.1 wants 400 on a mismatch (RFC 4475 mismatch01); for an unknown
   * method the server answers 501 anyway (mismatch02, §3.1.2.18) */
  if (msg->is_request && msg->method != SWS_METHOD_UNKNOWN &&
      !sws_str_equal (msg->method_str, msg->cseq_method_str))
    return sws_sip_fail (error, 400, "CSeq method does not match request method");

  h = sws_sip_message_find (msg, SWS_HDR_MAX_FORWARDS);
  if (h != NULL)
    {
      if (!sws_str_to_uint64 (h->value, 255, &v))
        return sws_sip_fail (error, 400, "Malformed Max-Forwards");
      msg->max_forwards = (int) v;
    }

  h = sws_sip_message_find (msg, SWS_HDR_CONTENT_LENGTH);
  if (h != NULL)
    {
      if (!sws_str_to_uint64 (h->value, G_MAXUINT64, &v))
        return sws_sip_fail (error, 400, "Malformed Content-Length");
      /* octets after Content-Length are ignored (RFC 4475 dblreq) */
      if (v > msg->body.len)
        return sws_sip_fail (error, 400, "Content-Length exceeds message size");
      msg->body.len = (gsize) v;
      msg->len = (gsize) (msg->body.p - msg->data) + msg->body.len;
    }

  h = sws_sip_message_find (msg, SWS_HDR_CONTENT_TYPE);
  if (h != NULL && has_several_values (h))
    return sws_sip_fail (error, 400, "Multiple Content-Type values");
  h = sws_sip_message_find (msg, SWS_HDR_EXPIRES);
  if (h != NULL && has_several_values (h))
    return sws_sip_fail (error, 400, "Multiple Expires values");

  return TRUE;
}

gboolean
sws_sip_message_parse (GBytes          *bytes,
                       SwsSipMessage  **out_msg,
                       GError         **error)
{
  g_autoptr(SwsSipMessage) msg = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *data, *end;
  gsize size, scan;
  gboolean split_ok = TRUE, lines_ok;
  guint64 repeated = 0;
  Split split;

  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (out_msg != NULL, FALSE);
  *out_msg = NULL;

  data = g_bytes_get_data (bytes, &size);
  end = data + size;
  /* §7.5: ignore CRLFs before the start line */
  while (data < end && (*data == '\r' || *data == '\n'))
    data++;
  if (data == end)
    return sws_sip_fail (error, 400, "Empty message");

  /* an oversized message is split within the limit only, so that a 513
   * can still be answered when its header section fits (§18.1.1) */
  size = (gsize) (end - data);
  scan = MIN (size, SWS_SIP_MAX_MESSAGE_SIZE);
  if (!split_message (data, data + scan, &split) ||
      (size > scan && split.body == data + scan) ||
      split.n_headers > G_MAXINT16)
    {
      if (size > scan)
        return sws_sip_fail (error, 513, "Message Too Large");
      return sws_sip_fail (error, 400, "Malformed header section");
    }

  /* the struct and its header array in one block */
  msg = g_malloc (sizeof (SwsSipMessage) + split.n_headers * sizeof (SwsHeader));
  memset (msg, 0, sizeof *msg);
  msg->ref_count = 1;
  msg->bytes = g_bytes_ref (bytes);
  memset (msg->first, 0xff, sizeof msg->first);
  msg->headers = (SwsHeader *) (msg + 1);
  msg->data = data;
  msg->len = size;
  msg->max_forwards = -1;
  msg->body = sws_str_range (split.body, end);

  lines_ok = fill_headers (msg, &split, &repeated);

  if (size >= 4 && sws_str_is (sws_str (data, 4), "SIP/"))
    parse_status_line (msg, data, split.start_line_end, &local_error);
  else
    parse_request_line (msg, data, split.start_line_end, &split_ok, &local_error);

  if (local_error == NULL && !lines_ok)
    sws_sip_fail (&local_error, 400, "Malformed header");
  if (local_error == NULL)
    check_core_headers (msg, repeated, &local_error);

  if (size > scan)
    {
      g_clear_error (&local_error);
      sws_sip_fail (&local_error, 513, "Message Too Large");
    }

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      if (split_ok)
        *out_msg = g_steal_pointer (&msg);
      return FALSE;
    }

  *out_msg = g_steal_pointer (&msg);
  return TRUE;
}

gboolean
sws_sip_message_parse_data (const char      *data,
                            gssize           len,
                            SwsSipMessage  **out_msg,
                            GError         **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  if (len < 0)
    len = (gssize) strlen (data);
  bytes = g_bytes_new (data, (gsize) len);
  return sws_sip_message_parse (bytes, out_msg, error);
}

SwsSipMessage *
sws_sip_message_ref (SwsSipMessage *msg)
{
  g_return_val_if_fail (msg != NULL, NULL);
  g_atomic_int_inc (&msg->ref_count);
  return msg;
}

void
sws_sip_message_unref (SwsSipMessage *msg)
{
  if (msg == NULL)
    return;
  if (g_atomic_int_dec_and_test (&msg->ref_count))
    {
      g_bytes_unref (msg->bytes);
      g_free (msg);
    }
}

void
sws_sip_message_set_source (SwsSipMessage *msg,
                            const char    *ip,
                            guint16        port)
{
  g_return_if_fail (msg != NULL);
  g_strlcpy (msg->source_ip, ip ? ip : "", sizeof msg->source_ip);
  msg->source_port = port;
}

const SwsHeader *
sws_sip_message_find (const SwsSipMessage *msg,
                      SwsHeaderId          id)
{
  if ((guint) id >= SWS_HDR_N_IDS || msg->first[id] < 0)
    return NULL;
  return &msg->headers[msg->first[id]];
}

const SwsHeader *
sws_sip_message_find_name (const SwsSipMessage *msg,
                           const char          *name)
{
  SwsHeaderId id = sws_header_id_from_name (sws_str_c (name));

  if (id != SWS_HDR_OTHER)
    return sws_sip_message_find (msg, id);
  if (msg->first[SWS_HDR_OTHER] < 0)
    return NULL;
  for (guint i = (guint) msg->first[SWS_HDR_OTHER]; i < msg->n_headers; i++)
    if (msg->headers[i].id == SWS_HDR_OTHER && sws_str_is (msg->headers[i].name, name))
      return &msg->headers[i];
  return NULL;
}

void
sws_value_iter_init (SwsValueIter        *iter,
                     const SwsSipMessage *msg,
                     SwsHeaderId          id)
{
  iter->msg = msg;
  iter->id = id;
  iter->next_header = ((guint) id < SWS_HDR_N_IDS && msg->first[id] >= 0) ?
                      (guint) msg->first[id] : msg->n_headers;
  iter->in_header = FALSE;
  iter->list.pos = iter->list.end = NULL;
}

gboolean
sws_value_iter_next (SwsValueIter *iter,
                     SwsStr       *value)
{
  const SwsSipMessage *msg = iter->msg;

  for (;;)
    {
      if (iter->in_header && sws_list_iter_next (&iter->list, value))
        return TRUE;
      iter->in_header = FALSE;

      while (iter->next_header < msg->n_headers &&
             msg->headers[iter->next_header].id != iter->id)
        iter->next_header++;
      if (iter->next_header >= msg->n_headers)
        return FALSE;
      sws_list_iter_init (&iter->list, msg->headers[iter->next_header].value);
      iter->next_header++;
      iter->in_header = TRUE;
    }
}

gboolean
sws_sip_message_get_uint (const SwsSipMessage *msg,
                          SwsHeaderId          id,
                          guint64              max,
                          gboolean            *present,
                          guint64             *value,
                          GError             **error)
{
  const SwsHeader *h;
  const char *name = sws_header_id_to_name (id);
  guint64 v;

  g_return_val_if_fail (id != SWS_HDR_OTHER && name != NULL, FALSE);

  if (present)
    *present = FALSE;
  h = sws_sip_message_find (msg, id);
  if (h == NULL)
    return TRUE;

  for (guint i = (guint) (h - msg->headers) + 1; i < msg->n_headers; i++)
    if (msg->headers[i].id == id)
      {
        g_set_error (error, SWS_SIP_ERROR, 400, "Multiple %s headers", name);
        return FALSE;
      }
  if (!sws_str_to_uint64 (h->value, max, &v))
    {
      g_set_error (error, SWS_SIP_ERROR, 400, "Malformed %s", name);
      return FALSE;
    }

  if (present)
    *present = TRUE;
  if (value)
    *value = v;
  return TRUE;
}
