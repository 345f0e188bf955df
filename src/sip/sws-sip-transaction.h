/* sws-sip-transaction.h: transaction identity and timers (RFC 3261 §17) */
#pragma once

#include "sws-sip-message.h"

G_BEGIN_DECLS

/* Timer values on a reliable transport (RFC 3261 §17, Table 4): nothing is
 * retransmitted over a WebSocket, so only the timers that end waiting
 * remain. All in µs. */
#define SWS_T1            (500 * G_TIME_SPAN_MILLISECOND)
#define SWS_TIMER_B       (64 * SWS_T1)   /* INVITE client: no response at all */
#define SWS_TIMER_F       (64 * SWS_T1)   /* non-INVITE client: no final response */
#define SWS_TIMER_H       (64 * SWS_T1)   /* INVITE server: wait for the ACK of a non-2xx */
/* §16.6 step 11: a proxied INVITE waits "greater than 3 minutes" for a
 * final response once something provisional came. */
#define SWS_TIMER_C       (181 * G_TIME_SPAN_SECOND)

/* The key a server transaction is stored under (§17.2.3): branch, sent-by
 * and method when the top Via branch has the RFC 3261 magic cookie; the
 * RFC 2543 identity (Request-URI, From tag, Call-ID, CSeq number, top Via)
 * otherwise. `method` is the transaction's method: an ACK or a CANCEL
 * looks up its INVITE with SWS_METHOD_INVITE. The key is written into
 * `out` (reset first). */
void     sws_sip_server_key     (const SwsSipMessage *request,
                                 SwsMethod            method,
                                 GString             *out);

/* The client transaction a response belongs to (§17.1.3): the top Via
 * branch; FALSE when it is missing. */
gboolean sws_sip_response_branch (const SwsSipMessage *response,
                                  SwsStr              *branch);

G_END_DECLS
