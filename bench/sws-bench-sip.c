/* sws-bench-sip.c: just enough SIP for the load tool's user agents
 *
 * The tool reads what a UA must read (status or method, Call-ID, CSeq,
 * To, Contact, Record-Route) and copies what a UA must copy (every Via and
 * Record-Route of a request into its responses, RFC 3261 §8.2.6.2 and
 * §12.1.1). Slices point into the received frame; nothing is allocated.
 * Messages are written with a bounds-checked appender instead of printf:
 * the tool must cost far less per message than the server it measures.
 */

#include "sws-bench.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const struct {
  const char *name;
  char compact;
  SbHeaderId id;
} header_names[] = {
  { "Via", 'v', SB_H_VIA },
  { "From", 'f', SB_H_FROM },
  { "To", 't', SB_H_TO },
  { "Call-ID", 'i', SB_H_CALL_ID },
  { "CSeq", 0, SB_H_CSEQ },
  { "Contact", 'm', SB_H_CONTACT },
  { "Record-Route", 0, SB_H_RECORD_ROUTE },
  { "Content-Length", 'l', SB_H_CONTENT_LENGTH },
};

bool
sb_str_eq (SbStr       s,
           const char *lit)
{
  size_t n = strlen (lit);

  return s.len == n && strncasecmp (s.p, lit, n) == 0;
}

static SbHeaderId
header_id (const char *name,
           size_t      len)
{
  for (size_t i = 0; i < sizeof header_names / sizeof header_names[0]; i++)
    {
      if (len == 1 && header_names[i].compact != 0 &&
          tolower ((unsigned char) name[0]) == header_names[i].compact)
        return header_names[i].id;
      if (len == strlen (header_names[i].name) &&
          strncasecmp (name, header_names[i].name, len) == 0)
        return header_names[i].id;
    }
  return SB_H_OTHER;
}

static SbStr
trim (const char *p,
      size_t      len)
{
  while (len > 0 && (*p == ' ' || *p == '\t'))
    p++, len--;
  while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t' || p[len - 1] == '\r' ||
                     p[len - 1] == '\n'))
    len--;
  return (SbStr) { p, len };
}

static bool
parse_cseq (SbSipMsg *msg,
            SbStr     value)
{
  uint32_t n = 0;
  size_t i = 0;

  if (value.len == 0 || !isdigit ((unsigned char) value.p[0]))
    return false;
  while (i < value.len && isdigit ((unsigned char) value.p[i]))
    n = n * 10 + (uint32_t) (value.p[i++] - '0');
  msg->cseq = n;
  msg->cseq_method = trim (value.p + i, value.len - i);
  return msg->cseq_method.len > 0;
}

/* Start line, header lines (folded lines join the one before), body. */
bool
sb_sip_parse (const char *data,
              size_t      len,
              SbSipMsg   *msg)
{
  const char *p = data, *end = data + len, *eol, *sp;

  memset (msg->first, -1, sizeof msg->first);
  msg->n_headers = 0;
  msg->call_id = (SbStr) { NULL, 0 };
  msg->cseq = 0;
  msg->cseq_method = (SbStr) { NULL, 0 };
  msg->body = (SbStr) { end, 0 };

  eol = memchr (p, '\n', len);
  if (eol == NULL)
    return false;
  if (len > 8 && memcmp (p, "SIP/2.0 ", 8) == 0)
    {
      msg->is_request = false;
      msg->status = 0;
      for (const char *q = p + 8; q < eol && isdigit ((unsigned char) *q); q++)
        msg->status = msg->status * 10 + (unsigned) (*q - '0');
      if (msg->status < 100 || msg->status >= SB_MAX_STATUS)
        return false;
    }
  else
    {
      msg->is_request = true;
      sp = memchr (p, ' ', (size_t) (eol - p));
      if (sp == NULL)
        return false;
      msg->method = (SbStr) { p, (size_t) (sp - p) };
      p = sp + 1;
      sp = memchr (p, ' ', (size_t) (eol - p));
      if (sp == NULL)
        return false;
      msg->request_uri = (SbStr) { p, (size_t) (sp - p) };
    }
  p = eol + 1;

  while (p < end)
    {
      const char *colon;
      SbHeader *h;
      SbHeaderId id;
      size_t l;

      eol = memchr (p, '\n', (size_t) (end - p));
      l = (size_t) ((eol ? eol : end) - p);
      if (l == 0 || (l == 1 && p[0] == '\r'))
        {
          p = eol ? eol + 1 : end;
          break;
        }
      if ((p[0] == ' ' || p[0] == '\t') && msg->n_headers > 0)
        {
          /* Folded (RFC 3261 §7.3.1): part of the header before. */
          h = &msg->headers[msg->n_headers - 1];
          h->line.len = (size_t) ((eol ? eol : end) - h->line.p);
          h->value = trim (h->value.p, (size_t) ((eol ? eol : end) - h->value.p));
          h->line = trim (h->line.p, h->line.len);
          p = eol ? eol + 1 : end;
          continue;
        }
      colon = memchr (p, ':', l);
      if (colon == NULL)
        return false;
      if (msg->n_headers == SB_MAX_HEADERS)
        {
          p = eol ? eol + 1 : end;
          continue;
        }
      {
        SbStr name = trim (p, (size_t) (colon - p));

        id = header_id (name.p, name.len);
      }
      h = &msg->headers[msg->n_headers];
      h->id = id;
      h->line = trim (p, l);
      h->value = trim (colon + 1, (size_t) (p + l - colon - 1));
      if (msg->first[id] < 0)
        msg->first[id] = (int) msg->n_headers;
      msg->n_headers++;
      p = eol ? eol + 1 : end;
    }
  msg->body = (SbStr) { p, (size_t) (end - p) };

  if (msg->first[SB_H_CALL_ID] < 0 || msg->first[SB_H_CSEQ] < 0)
    return false;
  msg->call_id = msg->headers[msg->first[SB_H_CALL_ID]].value;
  return parse_cseq (msg, msg->headers[msg->first[SB_H_CSEQ]].value);
}

/* A ";tag=" parameter outside the URI's angle brackets. */
bool
sb_sip_has_tag (SbStr value)
{
  const char *p = value.p, *end = value.p + value.len;
  const char *gt = memchr (p, '>', value.len);

  if (gt != NULL)
    p = gt + 1;
  for (; p + 4 < end; p++)
    if (*p == ';')
      {
        const char *q = p + 1;

        while (q < end && *q == ' ')
          q++;
        if (end - q >= 4 && strncasecmp (q, "tag=", 4) == 0)
          return true;
      }
  return false;
}

/* The URI of the first Contact: inside <...>, or up to the first ';'. */
bool
sb_sip_contact_uri (const SbSipMsg *msg,
                    SbStr          *uri)
{
  SbStr v;
  const char *lt, *gt, *semi;

  if (msg->first[SB_H_CONTACT] < 0)
    return false;
  v = msg->headers[msg->first[SB_H_CONTACT]].value;
  lt = memchr (v.p, '<', v.len);
  if (lt != NULL)
    {
      gt = memchr (lt, '>', v.len - (size_t) (lt - v.p));
      if (gt == NULL)
        return false;
      *uri = (SbStr) { lt + 1, (size_t) (gt - lt - 1) };
      return uri->len > 0;
    }
  semi = memchr (v.p, ';', v.len);
  *uri = trim (v.p, semi ? (size_t) (semi - v.p) : v.len);
  return uri->len > 0;
}

/* Split one header value at commas outside <> and quotes. */
static unsigned
split_values (SbStr    value,
              SbStr   *out,
              unsigned max)
{
  unsigned n = 0;
  const char *start = value.p, *end = value.p + value.len;
  bool quoted = false, angle = false;

  for (const char *p = value.p; p <= end; p++)
    {
      if (p < end)
        {
          if (*p == '"' && !angle)
            quoted = !quoted;
          else if (*p == '<' && !quoted)
            angle = true;
          else if (*p == '>' && !quoted)
            angle = false;
          if (*p != ',' || quoted || angle)
            continue;
        }
      if (n < max)
        {
          SbStr v = trim (start, (size_t) (p - start));

          if (v.len > 0)
            out[n++] = v;
        }
      start = p + 1;
    }
  return n;
}

/* The UAC's route set is the Record-Route of the 2xx, reversed (RFC 3261
 * §12.1.2); written as "Route:" lines. Returns the length, 0 if none or
 * if it does not fit. */
size_t
sb_sip_route_set (const SbSipMsg *msg,
                  char           *out,
                  size_t          cap)
{
  SbStr values[16];
  unsigned n = 0;
  SbOut o;

  for (unsigned i = 0; i < msg->n_headers; i++)
    if (msg->headers[i].id == SB_H_RECORD_ROUTE)
      n += split_values (msg->headers[i].value, values + n, 16 - n);
  sb_out_init (&o, out, cap);
  while (n > 0)
    {
      sb_out_str (&o, "Route: ");
      sb_out_s (&o, values[--n]);
      sb_out_str (&o, "\r\n");
    }
  return o.overflow ? 0 : sb_out_len (&o, out);
}

/* ---- writing ------------------------------------------------------------ */

void
sb_out_init (SbOut *o,
             char  *buf,
             size_t cap)
{
  o->p = buf;
  o->end = buf + cap;
  o->overflow = false;
}

void
sb_out_mem (SbOut      *o,
            const void *p,
            size_t      len)
{
  if ((size_t) (o->end - o->p) < len)
    {
      o->overflow = true;
      return;
    }
  memcpy (o->p, p, len);
  o->p += len;
}

void
sb_out_str (SbOut      *o,
            const char *s)
{
  sb_out_mem (o, s, strlen (s));
}

void
sb_out_s (SbOut *o,
          SbStr  s)
{
  sb_out_mem (o, s.p, s.len);
}

void
sb_out_u (SbOut    *o,
          uint64_t  v)
{
  char tmp[24];
  size_t n = 0;

  do
    {
      tmp[sizeof tmp - 1 - n++] = (char) ('0' + v % 10);
      v /= 10;
    }
  while (v != 0);
  sb_out_mem (o, tmp + sizeof tmp - n, n);
}

size_t
sb_out_len (const SbOut *o,
            const char  *start)
{
  return (size_t) (o->p - start);
}

/* Status line plus every Via and Record-Route of the request, in order,
 * as received (RFC 3261 §8.2.6.2, §12.1.1). */
void
sb_sip_begin_response (SbOut          *o,
                       const SbSipMsg *req,
                       unsigned        code,
                       const char     *reason)
{
  sb_out_str (o, "SIP/2.0 ");
  sb_out_u (o, code);
  sb_out_str (o, " ");
  sb_out_str (o, reason);
  sb_out_str (o, "\r\n");
  for (unsigned i = 0; i < req->n_headers; i++)
    {
      const SbHeader *h = &req->headers[i];

      if (h->id == SB_H_VIA || h->id == SB_H_RECORD_ROUTE)
        {
          sb_out_s (o, h->line);
          sb_out_str (o, "\r\n");
        }
    }
}

/* From, To (with our tag unless it has one), Call-ID and CSeq of the
 * request. */
void
sb_sip_copy_dialog (SbOut          *o,
                    const SbSipMsg *req,
                    const char     *to_tag)
{
  static const SbHeaderId copied[] = { SB_H_FROM, SB_H_TO, SB_H_CALL_ID, SB_H_CSEQ };

  for (size_t i = 0; i < sizeof copied / sizeof copied[0]; i++)
    {
      const SbHeader *h;

      if (req->first[copied[i]] < 0)
        continue;
      h = &req->headers[req->first[copied[i]]];
      sb_out_s (o, h->line);
      if (copied[i] == SB_H_TO && to_tag != NULL && !sb_sip_has_tag (h->value))
        {
          sb_out_str (o, ";tag=");
          sb_out_str (o, to_tag);
        }
      sb_out_str (o, "\r\n");
    }
}
