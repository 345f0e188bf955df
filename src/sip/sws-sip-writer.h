/* sws-sip-writer.h: building SIP messages the server sends */
#pragma once

#include "sws-sip-message.h"

G_BEGIN_DECLS

/* Start a response to `request` (RFC 3261 §8.2.6.2): the status line, every
 * Via of the request in order — the top one with "received" set to the
 * request's source IP and, when the client sent "rport", "rport" set to
 * its source port (§18.2.1, RFC 3581 §4) — then From, To, Call-ID and
 * CSeq copied from the request. To gets ";tag=<to_tag>" when the request's
 * To has no tag, `to_tag` is non-NULL and status > 100. The reason phrase
 * is written as given (callers never pass CR/LF). Works on a request that
 * failed sws_sip_message_parse() too: unparsed headers are copied as they
 * are.
 *
 * The caller appends any further header lines ("Name: value\r\n") to the
 * returned GString and finishes with sws_sip_message_end(). */
GString *sws_sip_response_begin (const SwsSipMessage *request,
                                 guint                status,
                                 const char          *reason,
                                 const char          *to_tag);

/* Append one Via header line of `request` ("Via: value\r\n", folds
 * unfolded). For the first Via line, when the request's source is known,
 * its first value gets received/rport as sws_sip_response_begin() writes
 * them; any other line is copied as it is. Also used by the proxy when it
 * forwards the request (§18.2.1). */
void     sws_sip_append_via_line (GString             *s,
                                  const SwsSipMessage *request,
                                  const SwsHeader     *h);

/* Finish a message started by sws_sip_response_begin() (or any message
 * whose start line and headers were written into `msg`): adds Content-Type
 * when body_len > 0, Content-Length, the empty line and the body, and
 * returns the bytes. Consumes `msg`. */
GBytes *sws_sip_message_end (GString    *msg,
                             const char *content_type,
                             const char *body,
                             gsize       body_len);

/* A tag for To or From (RFC 3261 §19.3): 16 random hex digits. */
void     sws_sip_make_tag        (char out[17]);

/* A whole response without a body, as the server sends its own answers:
 * sws_sip_response_begin() with a fresh tag, `extra_headers` (full lines,
 * may be NULL), "Server: sipws/VERSION", and the end. */
GBytes  *sws_sip_response_simple (const SwsSipMessage *request,
                                  guint                status,
                                  const char          *reason,
                                  const char          *extra_headers);

/* Append an RFC 1123 date as SIP wants it (RFC 3261 §20.17), always in
 * English and GMT: "Wed, 25 Nov 2026 10:00:00 GMT". */
void sws_sip_append_date (GString *s,
                          gint64   unix_seconds);

G_END_DECLS
