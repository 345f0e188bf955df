/* sws-test-ua.h: a hand-driven SIP user agent over a test WebSocket client */
#pragma once

#include "sws-sip-message.h"
#include "sws-test-client.h"

G_BEGIN_DECLS

/* REGISTER `contact_uri` (sent as <contact_uri>) for `aor`; asserts 200. */
void           sws_test_ua_register (SwsTestClient *client,
                                     const char    *aor,
                                     const char    *contact_uri,
                                     guint          cseq);
/* The next message, parsed by the SIP core; fails the test on timeout. */
SwsSipMessage *sws_test_ua_recv     (SwsTestClient *client);
/* Answer a request the UA received: Via, From, To (+tag), Call-ID, CSeq
 * copied; Record-Route kept in 18x/2xx (RFC 3261 §12.1.1); a Contact when
 * given. */
void           sws_test_ua_respond  (SwsTestClient *client,
                                     SwsSipMessage *request,
                                     guint          status,
                                     const char    *reason,
                                     const char    *tag,
                                     const char    *contact_uri);
/* A request inside a dialog: Request-URI the peer's Contact, the route
 * set from Record-Route. */
char          *sws_test_ua_in_dialog (const char *method,
                                      const char *target,
                                      const char *route,
                                      const char *from,
                                      const char *to,
                                      const char *call_id,
                                      guint       cseq);

G_END_DECLS
