/* sws-guard-stream.h: a connection stream that caps unfinished WebSocket messages */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SWS_TYPE_GUARD_STREAM (sws_guard_stream_get_type ())
G_DECLARE_FINAL_TYPE (SwsGuardStream, sws_guard_stream, SWS, GUARD_STREAM, GIOStream)

/* Wrap `base` (pollable in both directions). Reading more than `limit`
 * bytes without sws_guard_stream_reset() in between fails with
 * G_IO_ERROR_MESSAGE_TOO_LARGE, which makes libsoup drop the connection. */
GIOStream *sws_guard_stream_new   (GIOStream *base,
                                   gsize      limit);
/* A whole message (or a pong) arrived: start counting again. */
void       sws_guard_stream_reset (SwsGuardStream *self);
/* Bytes written to `base` so far (frames, headers, pings, all). */
guint64    sws_guard_stream_get_written (SwsGuardStream *self);

G_END_DECLS
