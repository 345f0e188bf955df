/* sws-sip-forward.h: rewriting messages a proxy passes on (RFC 3261 §16.6, §16.7) */
#pragma once

#include "sws-sip-message.h"

G_BEGIN_DECLS

/* What a proxy changes in a request it forwards (§16.6). Anything not
 * named here is copied byte for byte, header order and body included. */
typedef struct {
  SwsStr request_uri;        /* new Request-URI; SWS_STR_NULL keeps it */
  const char *via;           /* Via value to put on top (required), e.g.
                              * "SIP/2.0/WS 127.0.0.1:5066;branch=z9hG4bK…" */
  const char *record_route;  /* Record-Route value to put first, or NULL */
  guint pop_routes;          /* drop this many Route values from the top (§16.4) */
  gboolean pop_last_route;   /* drop the last Route value (strict routing, §16.4) */
  int max_forwards;          /* new Max-Forwards; the header is added if absent */
  const char *consumed_realm; /* drop Proxy-Authorization of this Digest realm
                               * (§22.3: the proxy consumes its own), or NULL */
} SwsForwardEdits;

/* The request with the edits applied (§16.6 steps 2–8). Route values are
 * dropped individually, so "Route: <a>, <b>" minus the first becomes
 * "Route: <b>". The received/rport of the request's own top Via (from
 * its source, as in sws_sip_response_begin()) are written too, so that
 * the next hop sees where it came from (§18.2.1). */
GBytes *sws_sip_forward_request  (const SwsSipMessage   *request,
                                  const SwsForwardEdits *edits);

/* The response minus its top Via value (§16.7 step 3); when the top Via
 * header line holds several values only the first is removed. */
GBytes *sws_sip_forward_response (const SwsSipMessage *response);

/* Start a request the server itself sends (CANCEL, ACK for a non-2xx,
 * BYE): request line, the given Via and Max-Forwards: 70. The caller adds
 * From/To/Call-ID/CSeq and the rest, then calls sws_sip_message_end(). */
GString *sws_sip_request_begin   (const char *method,
                                  SwsStr      request_uri,
                                  const char *via);

/* A branch parameter for a forwarded request (§16.6 step 8, §8.1.1.7):
 * "z9hG4bK" followed by a hash of what identifies the request, so that a
 * request arriving twice through us (a loop, §16.3 step 4) yields the same
 * branch, while a spiral (changed Request-URI) yields a new one. `salt`
 * keeps branches unguessable from outside. Writes a NUL-terminated string
 * of at most SWS_BRANCH_MAX bytes. */
#define SWS_BRANCH_MAX 48
void     sws_sip_compute_branch  (const SwsSipMessage *request,
                                  guint64              salt,
                                  char                 out[SWS_BRANCH_MAX]);

G_END_DECLS
