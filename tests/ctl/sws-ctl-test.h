/* sws-ctl-test.h: sipwsctl against the real sipwsd on a private bus
 *
 * A private session bus (GTestDBus), the real daemon on it, and sipwsctl
 * run as users run it, with every wait bounded.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SWS_CTL_TEST_TIMEOUT_MS 10000

typedef struct _SwsCtlTest SwsCtlTest;
typedef struct _SwsCtlProcess SwsCtlProcess;

/* A private session bus, set as DBUS_SESSION_BUS_ADDRESS; fails the test
 * when dbus-daemon is missing. No daemon yet. */
SwsCtlTest    *sws_ctl_test_new            (void);
void           sws_ctl_test_free           (SwsCtlTest    *self);

/* The daemon's configuration file (empty unless written). */
void           sws_ctl_test_write_config   (SwsCtlTest    *self,
                                            const char    *text);
/* Start sipwsd on a free loopback port and wait until it owns its name. */
void           sws_ctl_test_start_daemon   (SwsCtlTest    *self);
/* SIGTERM; asserts a clean exit. */
void           sws_ctl_test_stop_daemon    (SwsCtlTest    *self);
/* ws://127.0.0.1:PORT, as the daemon reports it on the bus. */
const char    *sws_ctl_test_get_uri        (SwsCtlTest    *self);

/* Run sipwsctl with these arguments (NULL-terminated) to its end; returns
 * its exit status, its output in `out` and `err` (may be NULL). */
int            sws_ctl_runv                (const char * const *args,
                                            char         **out,
                                            char         **err);
/* The same, arguments as varargs, with DBUS_SESSION_BUS_ADDRESS set to
 * `bus_address`. */
int            sws_ctl_run_on_bus          (const char    *bus_address,
                                            char         **out,
                                            char         **err,
                                            const char    *first_arg,
                                            ...) G_GNUC_NULL_TERMINATED;

/* Parse JSON text; fails the test when it is not JSON. */
JsonNode      *sws_ctl_parse_json          (const char    *text);

/* sipwsctl running in the background (monitor), its output read line by
 * line as it comes. */
SwsCtlProcess *sws_ctl_spawn               (const char    *first_arg,
                                            ...) G_GNUC_NULL_TERMINATED;
/* Wait for a line containing `text` on stdout (or stderr); returns the
 * line (owned by the process) or NULL after `timeout_ms`. */
const char    *sws_ctl_process_wait_line   (SwsCtlProcess *self,
                                            gboolean       on_stderr,
                                            const char    *text,
                                            guint          timeout_ms);
/* Every stdout line so far. */
GPtrArray     *sws_ctl_process_get_lines   (SwsCtlProcess *self);
/* Send `signum` and wait for the exit; returns the exit status, or
 * 128 + the signal that killed it. */
int            sws_ctl_process_stop        (SwsCtlProcess *self,
                                            int            signum);
void           sws_ctl_process_free        (SwsCtlProcess *self);

/* Run the default main context until done() or timeout_ms, waking up
 * every 10 ms for conditions that no event announces. */
gboolean       sws_ctl_poll_until          (guint          timeout_ms,
                                            gboolean     (*done) (gpointer user_data),
                                            gpointer       user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SwsCtlTest, sws_ctl_test_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SwsCtlProcess, sws_ctl_process_free)

G_END_DECLS
