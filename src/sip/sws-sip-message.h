/* sws-sip-message.h: a parsed SIP message (RFC 3261 §7)
 *
 * Zero-copy: the message keeps a reference to the received bytes and every
 * field is a slice into them. The start line, the header section split and
 * the core headers every element needs (Via, From, To, Call-ID, CSeq,
 * Max-Forwards, Content-Length) are parsed eagerly; everything else is
 * parsed on demand by the code that needs it.
 */
#pragma once

#include "sws-sip-header.h"

G_BEGIN_DECLS

#define SWS_SIP_MAX_MESSAGE_SIZE (64 * 1024)

typedef struct {
  SwsHeaderId id;
  SwsStr name;        /* as written */
  SwsStr value;       /* LWS-trimmed at both ends; folded lines (CRLF + WSP)
                       * stay inside and count as LWS for every parser */
} SwsHeader;

typedef struct _SwsSipMessage SwsSipMessage;

struct _SwsSipMessage {
  /*< private >*/
  int ref_count;
  GBytes *bytes;
  gint16 first[SWS_HDR_N_IDS];   /* index of the first header of each id, -1 */

  /*< public, read-only >*/
  const char *data;              /* the message, start line to end of body */
  gsize len;                     /* octets after the body (RFC 4475 dblreq) excluded */

  gboolean is_request;
  /* request */
  SwsMethod method;
  SwsStr method_str;
  SwsStr request_uri_text;
  SwsUri request_uri;
  /* response */
  guint status;
  SwsStr reason;

  SwsHeader *headers;
  guint n_headers;
  SwsStr body;

  /* Core headers, valid when sws_sip_message_parse() returned TRUE */
  SwsVia top_via;
  SwsNameAddr from;
  SwsNameAddr to;
  SwsStr call_id;
  guint32 cseq;
  SwsMethod cseq_method;
  SwsStr cseq_method_str;
  int max_forwards;              /* -1 when absent */

  /* Where a received message came from (RFC 3261 §18.2.1), set by the
   * transport; empty string when unknown. */
  char source_ip[48];
  guint16 source_port;
};

/* Parse one SIP message that fills `bytes` (over WebSocket a WebSocket
 * message is the framing unit, RFC 7118 §5).
 *
 * Returns TRUE and a new message in *out_msg when the message is well
 * formed. Returns FALSE with SWS_SIP_ERROR set otherwise (error code =
 * status to answer, message = reason phrase); in that case *out_msg is
 * still set when the start line and header section could be split, so
 * that the caller can build an error response to a request from its
 * Via/From/To/Call-ID/CSeq, and is NULL when nothing usable was found.
 *
 * Checks (each with its own reason phrase): start line syntax (exactly one
 * SP between elements is the norm, several are tolerated — RFC 4475
 * lwsstart/trws — but never forwarded); SIP-Version "SIP/2.0" else 505;
 * Request-URI a valid URI with no LWS, no '<>' and, for SIP URIs, no
 * headers part (400); status code 100..699 (else error, the caller drops
 * the response); presence and syntax of Via, From, To, Call-ID, CSeq; CSeq
 * number < 2^32 and CSeq method equal to the request method; Max-Forwards
 * 0..255; single-value headers (From, To, Call-ID, CSeq, Max-Forwards,
 * Content-Length, Content-Type, Expires) appearing once with one value;
 * Content-Length a non-negative decimal not larger than the octets that
 * follow the header section (bytes beyond it are ignored); without
 * Content-Length the body is the rest of the WebSocket message; messages
 * above SWS_SIP_MAX_MESSAGE_SIZE are 513. Unknown methods and URI schemes
 * are not parse errors: the server decides (501, 416). */
gboolean sws_sip_message_parse (GBytes          *bytes,
                                SwsSipMessage  **out_msg,
                                GError         **error);

/* Convenience for tests: parse a copy of a NUL-terminated or sized string. */
gboolean sws_sip_message_parse_data (const char      *data,
                                     gssize           len,
                                     SwsSipMessage  **out_msg,
                                     GError         **error);

SwsSipMessage *sws_sip_message_ref   (SwsSipMessage *msg);
void           sws_sip_message_unref (SwsSipMessage *msg);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SwsSipMessage, sws_sip_message_unref)

void sws_sip_message_set_source (SwsSipMessage *msg,
                                 const char    *ip,
                                 guint16        port);

/* First header with this id, or NULL. */
const SwsHeader *sws_sip_message_find      (const SwsSipMessage *msg,
                                            SwsHeaderId          id);
/* First header with this name (case-insensitive, for SWS_HDR_OTHER names). */
const SwsHeader *sws_sip_message_find_name (const SwsSipMessage *msg,
                                            const char          *name);

/* Iterate over every comma-separated value of every header with `id`, in
 * message order (e.g. all Contact or Route elements). */
typedef struct {
  const SwsSipMessage *msg;
  SwsHeaderId id;
  guint next_header;
  gboolean in_header;
  SwsListIter list;
} SwsValueIter;

void     sws_value_iter_init (SwsValueIter        *iter,
                              const SwsSipMessage *msg,
                              SwsHeaderId          id);
gboolean sws_value_iter_next (SwsValueIter *iter,
                              SwsStr       *value);

/* A single-valued unsigned header such as Expires or Min-Expires.
 * Returns FALSE with a 400 error when malformed, repeated or above `max`;
 * otherwise TRUE, with *present telling whether it was there. */
gboolean sws_sip_message_get_uint (const SwsSipMessage *msg,
                                   SwsHeaderId          id,
                                   guint64              max,
                                   gboolean            *present,
                                   guint64             *value,
                                   GError             **error);

G_END_DECLS
