/* sws-rate-limiter.h: token buckets per peer address */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SwsRateLimiter SwsRateLimiter;

/* `rate` tokens a second, at most `burst` saved up, per key. */
SwsRateLimiter *sws_rate_limiter_new       (guint           rate,
                                            guint           burst);
void            sws_rate_limiter_free      (SwsRateLimiter *self);
void            sws_rate_limiter_configure (SwsRateLimiter *self,
                                            guint           rate,
                                            guint           burst);

/* Take a token for `key` at `now` (µs, monotonic). FALSE when there is
 * none: then *retry_after is the whole seconds until there is one, and
 * *first is TRUE at most once a minute per key (so that a flood is logged
 * once a minute, not once a request). */
gboolean        sws_rate_limiter_take      (SwsRateLimiter *self,
                                            const char     *key,
                                            gint64          now,
                                            guint          *retry_after,
                                            gboolean       *first);

/* Forget keys whose bucket has filled up again: they are idle, and a full
 * bucket is what a new key gets anyway. Keeps the table as small as the
 * set of busy peers. */
void            sws_rate_limiter_prune     (SwsRateLimiter *self,
                                            gint64          now);
guint           sws_rate_limiter_get_size  (SwsRateLimiter *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SwsRateLimiter, sws_rate_limiter_free)

G_END_DECLS
