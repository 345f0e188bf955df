/* sws-test-daemon.h: run the real sipwsd for integration tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Every wait in the integration tests is bounded by one of these. */
#define SWS_TEST_START_TIMEOUT_MS 5000
#define SWS_TEST_EXIT_TIMEOUT_MS  5000

typedef struct _SwsTestDaemon SwsTestDaemon;

void           sws_test_init                (int           *argc,
                                             char        ***argv);

SwsTestDaemon *sws_test_daemon_new          (void);
void           sws_test_daemon_free         (SwsTestDaemon *self);

GKeyFile      *sws_test_daemon_get_config   (SwsTestDaemon *self);
/* Listen on `uri` too (before start), besides the ws:// port picked by
 * the harness; the API's listen_uris tells the ports given. */
void           sws_test_daemon_add_listen   (SwsTestDaemon *self,
                                             const char    *uri);
/* A directory of the test's own, removed with the daemon. */
const char    *sws_test_daemon_get_tmpdir   (SwsTestDaemon *self);
void           sws_test_daemon_start        (SwsTestDaemon *self);
void           sws_test_daemon_stop         (SwsTestDaemon *self);

void           sws_test_daemon_send_signal  (SwsTestDaemon *self,
                                             int            signum);
int            sws_test_daemon_wait_exit    (SwsTestDaemon *self,
                                             guint          timeout_ms);
gboolean       sws_test_daemon_is_running   (SwsTestDaemon *self);

guint16        sws_test_daemon_get_port     (SwsTestDaemon *self);
const char    *sws_test_daemon_get_uri      (SwsTestDaemon *self);
char          *sws_test_daemon_dup_log      (SwsTestDaemon *self);

gboolean       sws_test_iterate_until       (GMainContext  *context,
                                             guint          timeout_ms,
                                             gboolean     (*done) (gpointer user_data),
                                             gpointer       user_data);
void           sws_test_sleep               (guint          ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SwsTestDaemon, sws_test_daemon_free)

G_END_DECLS
