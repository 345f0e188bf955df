/* sws-test-call.h: user agents played by hand, for the call tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "sws-test-client.h"
#include "sws-test-daemon.h"

G_BEGIN_DECLS

#define SWS_TEST_ALICE "sip:alice@example.com"
#define SWS_TEST_BOB   "sip:bob@example.com"

extern const char sws_test_sdp_offer[];
extern const char sws_test_sdp_answer[];

/* A daemon, Alice and Bob registered, each on a WebSocket of their own.
 * The fixture's user data is the [proxy] invite-timeout (0: default). */
typedef struct
{
  SwsTestDaemon *daemon;
  char          *via_pattern;     /* the proxy's Via, as a regex */
  char          *route_pattern;   /* the proxy's Record-Route, as a regex */
  SwsTestClient *alice;
  SwsTestClient *bob;
  SwsTestClient *bob2;            /* Bob's second device, for forking */
} SwsTestCallFixture;

/* One INVITE dialog (RFC 3261 §12) as both user agents know it. */
typedef struct
{
  SwsTestClient *caller;          /* unowned */
  SwsTestClient *callee;          /* unowned; the one that answered */
  char          *call_id;
  char          *invite;          /* as the caller sent it */
  char          *caller_from;     /* with the caller's tag */
  char          *callee_to;       /* with the callee's tag, once answered */
  char          *callee_contact;
  char          *route;           /* the Record-Route value: one route set both ways */
  guint32        caller_cseq;
  guint32        callee_cseq;
} SwsTestCall;

void        sws_test_call_fixture_setup         (SwsTestCallFixture *fixture,
                                                 gconstpointer       user_data);
void        sws_test_call_fixture_teardown      (SwsTestCallFixture *fixture,
                                                 gconstpointer       user_data);
void        sws_test_call_register              (SwsTestClient      *client,
                                                 const char         *aor);
const char *sws_test_call_contact               (SwsTestClient      *client);
void        sws_test_call_clear                 (SwsTestCall        *call);

/* Building requests */
char       *sws_test_call_new_via               (void);
char       *sws_test_call_build_invite          (SwsTestCall        *call,
                                                 SwsTestClient      *caller,
                                                 const char         *request_uri,
                                                 int                 max_forwards);
char       *sws_test_call_build_same_txn        (const char         *request,
                                                 const char         *method,
                                                 const char         *to);
char       *sws_test_call_build_in_dialog       (SwsTestCall        *call,
                                                 gboolean            by_caller,
                                                 const char         *method,
                                                 guint32             cseq,
                                                 const char         *content_type,
                                                 const char         *body);
char       *sws_test_call_build_message         (const char         *from_aor,
                                                 const char         *to_aor,
                                                 const char         *text);

/* Reading and checking what arrives */
char       *sws_test_call_expect_request_within (SwsTestClient      *client,
                                                 const char         *method,
                                                 guint               timeout_ms);
char       *sws_test_call_expect_request        (SwsTestClient      *client,
                                                 const char         *method);
char       *sws_test_call_expect_response       (SwsTestClient      *client,
                                                 guint               status,
                                                 const char         *cseq);
void        sws_test_call_expect_quiet          (SwsTestCallFixture *fixture);
void        sws_test_call_assert_header         (const char         *message,
                                                 const char         *name,
                                                 const char         *expected);
void        sws_test_call_assert_same_header    (const char         *message,
                                                 const char         *original,
                                                 const char         *name);
void        sws_test_call_assert_matches        (const char         *pattern,
                                                 const char         *value);
void        sws_test_call_assert_forwarded      (SwsTestCallFixture *fixture,
                                                 const char         *forwarded,
                                                 const char         *sent,
                                                 const char         *request_uri,
                                                 gboolean            record_routed);
void        sws_test_call_assert_relayed        (const char         *response,
                                                 const char         *request);
void        sws_test_call_expect_proxy_ack      (SwsTestClient      *client,
                                                 const char         *forwarded_invite,
                                                 const char         *response);
void        sws_test_call_expect_proxy_bye      (SwsTestClient      *client,
                                                 const char         *contact,
                                                 const char         *from_tag,
                                                 const char         *to_tag,
                                                 SwsTestCall        *call,
                                                 guint32             peer_cseq);

/* Acting as the user agents */
char       *sws_test_call_answer                (SwsTestClient      *client,
                                                 const char         *request,
                                                 guint               status,
                                                 const char         *reason,
                                                 const char         *tag);
char       *sws_test_call_start                 (SwsTestCallFixture *fixture,
                                                 SwsTestCall        *call,
                                                 SwsTestClient      *callee);
void        sws_test_call_ring                  (SwsTestCallFixture *fixture,
                                                 SwsTestCall        *call,
                                                 SwsTestClient      *callee,
                                                 const char         *forwarded,
                                                 const char         *tag);
void        sws_test_call_confirm               (SwsTestCallFixture *fixture,
                                                 SwsTestCall        *call,
                                                 SwsTestClient      *callee,
                                                 const char         *ok);
void        sws_test_call_answer_call           (SwsTestCallFixture *fixture,
                                                 SwsTestCall        *call,
                                                 SwsTestClient      *callee,
                                                 const char         *forwarded,
                                                 const char         *tag);
void        sws_test_call_establish             (SwsTestCallFixture *fixture,
                                                 SwsTestCall        *call);
void        sws_test_call_in_dialog             (SwsTestCallFixture *fixture,
                                                 SwsTestCall        *call,
                                                 gboolean            by_caller,
                                                 const char         *method,
                                                 const char         *content_type,
                                                 const char         *body);
void        sws_test_call_ack_failure           (SwsTestClient      *client,
                                                 const char         *request,
                                                 const char         *response);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SwsTestCall, sws_test_call_clear)

G_END_DECLS
