/* sws-rate-limiter.c: token buckets per peer address
 *
 * One bucket per address that sent something recently: `rate` tokens a
 * second flow in, up to `burst`; each request takes one. A client that
 * registers and calls at a human pace never comes near the limit; a flood
 * from one address is answered 503 with Retry-After (RFC 3261 §21.5.4)
 * while everyone else goes on. Tokens are counted in millionths so that
 * the refill needs no floating point.
 */

#define G_LOG_DOMAIN "sws-limits"

#include "config.h"

#include "sws-rate-limiter.h"

#define UNIT G_GINT64_CONSTANT (1000000)   /* one token */
/* A key that keeps flooding is reported once a minute. */
#define REPORT_INTERVAL (60 * G_USEC_PER_SEC)

typedef struct
{
  gint64 tokens;       /* in millionths of a token */
  gint64 updated;      /* µs, monotonic */
  gint64 reported;     /* µs, when a refusal was last reported; 0 never */
} Bucket;

struct _SwsRateLimiter
{
  GHashTable *buckets;   /* key -> Bucket, both owned */
  gint64 rate;           /* tokens a second */
  gint64 burst;          /* in millionths */
};

SwsRateLimiter *
sws_rate_limiter_new (guint rate,
                      guint burst)
{
  SwsRateLimiter *self = g_new0 (SwsRateLimiter, 1);

  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sws_rate_limiter_configure (self, rate, burst);
  return self;
}

void
sws_rate_limiter_free (SwsRateLimiter *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->buckets);
  g_free (self);
}

void
sws_rate_limiter_configure (SwsRateLimiter *self,
                            guint           rate,
                            guint           burst)
{
  self->rate = MAX (rate, 1);
  self->burst = (gint64) MAX (burst, 1) * UNIT;
}

static void
refill (SwsRateLimiter *self,
        Bucket         *bucket,
        gint64          now)
{
  gint64 elapsed = now - bucket->updated;

  if (elapsed <= 0)
    return;
  /* rate × elapsed µs = millionths of a token; capped before it can
   * overflow (a bucket idle for hours is simply full). */
  if (elapsed > self->burst / self->rate + G_USEC_PER_SEC)
    bucket->tokens = self->burst;
  else
    bucket->tokens = MIN (self->burst, bucket->tokens + self->rate * elapsed);
  bucket->updated = now;
}

gboolean
sws_rate_limiter_take (SwsRateLimiter *self,
                       const char     *key,
                       gint64          now,
                       guint          *retry_after,
                       gboolean       *first)
{
  Bucket *bucket = g_hash_table_lookup (self->buckets, key);

  if (bucket == NULL)
    {
      bucket = g_new0 (Bucket, 1);
      bucket->tokens = self->burst;
      bucket->updated = now;
      g_hash_table_insert (self->buckets, g_strdup (key), bucket);
    }
  refill (self, bucket, now);

  if (bucket->tokens >= UNIT)
    {
      bucket->tokens -= UNIT;
      return TRUE;
    }

  if (retry_after != NULL)
    {
      /* µs until one token: (UNIT − tokens) / rate, rounded up to seconds. */
      gint64 wait = (UNIT - bucket->tokens + self->rate - 1) / self->rate;

      *retry_after = (guint) MAX (1, (wait + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
    }
  if (first != NULL)
    *first = bucket->reported == 0 || now - bucket->reported >= REPORT_INTERVAL;
  if (first != NULL && *first)
    bucket->reported = now;
  return FALSE;
}

void
sws_rate_limiter_prune (SwsRateLimiter *self,
                        gint64          now)
{
  GHashTableIter iter;
  Bucket *bucket;

  g_hash_table_iter_init (&iter, self->buckets);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &bucket))
    {
      refill (self, bucket, now);
      if (bucket->tokens >= self->burst)
        g_hash_table_iter_remove (&iter);
    }
}

guint
sws_rate_limiter_get_size (SwsRateLimiter *self)
{
  return g_hash_table_size (self->buckets);
}
