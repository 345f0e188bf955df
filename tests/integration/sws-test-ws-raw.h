/* sws-test-ws-raw.h: a WebSocket client that builds its own frames
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "sws-test-daemon.h"

G_BEGIN_DECLS

/* RFC 6455 §5.2 */
typedef enum
{
  SWS_TEST_WS_CONTINUATION = 0x0,
  SWS_TEST_WS_TEXT         = 0x1,
  SWS_TEST_WS_BINARY       = 0x2,
  SWS_TEST_WS_CLOSE        = 0x8,
  SWS_TEST_WS_PING         = 0x9,
  SWS_TEST_WS_PONG         = 0xa,
} SwsTestWsOpcode;

typedef struct _SwsTestWsRaw SwsTestWsRaw;

SwsTestWsRaw *sws_test_ws_raw_new            (SwsTestDaemon    *daemon);
void          sws_test_ws_raw_free           (SwsTestWsRaw     *self);

gboolean      sws_test_ws_raw_send_frame     (SwsTestWsRaw     *self,
                                              gboolean          fin,
                                              SwsTestWsOpcode   opcode,
                                              gconstpointer     data,
                                              gsize             len,
                                              GError          **error);
gboolean      sws_test_ws_raw_send_fragments (SwsTestWsRaw     *self,
                                              const char       *text,
                                              guint             n_fragments,
                                              GError          **error);

char         *sws_test_ws_raw_recv           (SwsTestWsRaw     *self,
                                              guint             timeout_ms);
gboolean      sws_test_ws_raw_wait_closed    (SwsTestWsRaw     *self,
                                              guint             timeout_ms);
gushort       sws_test_ws_raw_get_close_code (SwsTestWsRaw     *self);
guint         sws_test_ws_raw_get_pongs      (SwsTestWsRaw     *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SwsTestWsRaw, sws_test_ws_raw_free)

G_END_DECLS
