/* sws-test-sip.h: SIP helpers for the daemon tests */
#pragma once

#include "sip/sws-sip-message.h"
#include "sws-fake-connection.h"
#include "sws-server.h"

G_BEGIN_DECLS

/* A server built from config text (GKeyFile syntax, may be NULL), not
 * listening: messages go in through sws_server_handle_message(). */
SwsServer     *sws_test_server_new      (const char *config_text);

/* "REGISTER sip:example.com" for `aor` (user@host) with the given Contact
 * header value (NULL: none) and extra header lines (may be NULL). */
char          *sws_test_register        (const char *aor,
                                         const char *contact,
                                         const char *call_id,
                                         guint       cseq,
                                         const char *extra_headers);

/* Send `text` as one WebSocket message and parse the one reply that must
 * come back on `conn`. */
SwsSipMessage *sws_test_exchange        (SwsServer     *server,
                                         SwsConnection *conn,
                                         const char    *text);
/* Same, asserting that nothing comes back. */
void           sws_test_no_reply        (SwsServer     *server,
                                         SwsConnection *conn,
                                         const char    *text);

/* Value of the first header named `name`, as a new string, or NULL. */
char          *sws_test_header          (SwsSipMessage *msg,
                                         const char    *name);
/* Run the default main context until nothing is pending (bounded), so
 * that due timers fire. */
void           sws_test_settle          (void);

/* How many Contact values a response carries. */
guint          sws_test_count_contacts  (SwsSipMessage *msg);

G_END_DECLS
