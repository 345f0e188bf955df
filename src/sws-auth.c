/* sws-auth.c: who may register and call: Digest authentication (RFC 3261 §22)
 *
 * Nonces are stateless (sws_digest_nonce_make(): expiry and a MAC under a
 * secret drawn at start), so challenging costs no memory and a restart
 * only makes the old nonces unknown. What has to be remembered is the
 * highest nonce-count each nonce was used with, so that a captured request
 * cannot be replayed (RFC 7616 §3.3, §5.12): a bounded table, each entry
 * dropped by a timer on the daemon's heap when its nonce expires. When the
 * table is full the oldest entry goes, and with it every nonce that
 * expires no later: those are refused with stale=true from then on, which
 * costs a client one round trip and never lets a replay through.
 */

#define G_LOG_DOMAIN "sws-auth"

#include "config.h"

#include <string.h>
#include <sys/random.h>

#include "sip/sws-sip-digest.h"
#include "sip/sws-sip-writer.h"
#include "sws-auth.h"
#include "sws-users-file.h"

#define DEFAULT_MAX_NONCES 65536
/* Failures are logged one line each, at most LOG_BURST per LOG_WINDOW:
 * someone guessing passwords must not be able to flood the journal. */
#define LOG_BURST 10
#define LOG_WINDOW (60 * G_USEC_PER_SEC)

typedef struct
{
  SwsTimer timer;
  GList link;           /* in SwsAuth.order; data is this NonceUse */
  SwsAuth *auth;
  gint64 expires;       /* µs, real time */
  guint32 nc;           /* highest nonce-count accepted */
  char nonce[SWS_DIGEST_NONCE_LEN + 1];
} NonceUse;

struct _SwsAuth
{
  GObject parent_instance;

  SwsTimerHeap *timers;
  SwsUsersFile *users;          /* NULL: authentication is off */
  char *realm;
  guint nonce_lifetime;
  SwsDigestAlgorithm algorithms[SWS_DIGEST_ALGORITHM_SHA256 + 1];   /* 0-terminated */
  guint8 secret[SWS_DIGEST_SECRET_LEN];
  guint64 next_unique;
  gint64 clock_offset;          /* µs */

  GHashTable *nonces;           /* nonce text -> NonceUse */
  GQueue order;                 /* NonceUse, oldest first */
  guint max_nonces;
  gint64 forgotten_until;       /* nonces expiring no later may have been dropped */

  guint64 failures;
  gint64 log_window_start;
  guint log_lines;
  guint log_suppressed;
};

G_DEFINE_FINAL_TYPE (SwsAuth, sws_auth, G_TYPE_OBJECT)

static void
nonce_use_free (NonceUse *use)
{
  sws_timer_heap_cancel (use->auth->timers, &use->timer);
  g_queue_unlink (&use->auth->order, &use->link);
  g_free (use);
}

static void
sws_auth_dispose (GObject *object)
{
  SwsAuth *self = SWS_AUTH (object);

  g_clear_pointer (&self->nonces, g_hash_table_unref);

  G_OBJECT_CLASS (sws_auth_parent_class)->dispose (object);
}

static void
sws_auth_finalize (GObject *object)
{
  SwsAuth *self = SWS_AUTH (object);

  g_clear_pointer (&self->users, sws_users_file_free);
  g_free (self->realm);
  memset (self->secret, 0, sizeof self->secret);

  G_OBJECT_CLASS (sws_auth_parent_class)->finalize (object);
}

static void
sws_auth_class_init (SwsAuthClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sws_auth_dispose;
  object_class->finalize = sws_auth_finalize;
}

static void
sws_auth_init (SwsAuth *self)
{
  /* The secret makes nonces unforgeable: it comes from the kernel's CSPRNG,
   * not from GLib's Mersenne Twister. */
  if (getrandom (self->secret, sizeof self->secret, 0) != (ssize_t) sizeof self->secret)
    {
      g_message ("getrandom() failed; nonce secret taken from GRand");
      for (guint i = 0; i < sizeof self->secret; i++)
        self->secret[i] = (guint8) g_random_int_range (0, 256);
    }
  self->next_unique = ((guint64) g_random_int () << 32) | g_random_int ();
  self->nonce_lifetime = SWS_AUTH_DEFAULT_NONCE_LIFETIME;
  self->algorithms[0] = SWS_DIGEST_ALGORITHM_SHA256;
  self->algorithms[1] = SWS_DIGEST_ALGORITHM_MD5;
  self->max_nonces = DEFAULT_MAX_NONCES;
  self->realm = g_strdup ("sipws");
  self->nonces = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                        (GDestroyNotify) nonce_use_free);
  g_queue_init (&self->order);
}

SwsAuth *
sws_auth_new (SwsTimerHeap *timers)
{
  SwsAuth *self = g_object_new (SWS_TYPE_AUTH, NULL);

  self->timers = timers;
  return self;
}

gboolean
sws_auth_configure (SwsAuth                  *self,
                    const char               *users_file,
                    const char               *realm,
                    guint                     nonce_lifetime,
                    const SwsDigestAlgorithm *algorithms,
                    GError                  **error)
{
  g_autoptr(SwsUsersFile) users = NULL;
  guint n = 0;

  g_return_val_if_fail (SWS_IS_AUTH (self), FALSE);
  g_return_val_if_fail (users_file == NULL ||
                        (realm != NULL && nonce_lifetime > 0 && algorithms != NULL &&
                         algorithms[0] != SWS_DIGEST_ALGORITHM_UNKNOWN), FALSE);

  if (users_file != NULL)
    {
      users = sws_users_file_load (users_file, error);
      if (users == NULL)
        return FALSE;
    }

  g_clear_pointer (&self->users, sws_users_file_free);
  self->users = g_steal_pointer (&users);
  if (self->users == NULL)
    return TRUE;

  g_free (self->realm);
  self->realm = g_strdup (realm);
  self->nonce_lifetime = nonce_lifetime;
  memset (self->algorithms, 0, sizeof self->algorithms);
  for (; algorithms[n] != SWS_DIGEST_ALGORITHM_UNKNOWN && n + 1 < G_N_ELEMENTS (self->algorithms); n++)
    self->algorithms[n] = algorithms[n];
  if (sws_users_file_count (self->users, realm) == 0)
    g_warning ("%s has no user in realm “%s”: nobody can register", users_file, realm);
  else
    g_message ("Authentication: %u user(s) of realm “%s” from %s",
               sws_users_file_count (self->users, realm), realm, users_file);
  return TRUE;
}

gboolean
sws_auth_is_enabled (SwsAuth *self)
{
  return self->users != NULL;
}

const char *
sws_auth_get_realm (SwsAuth *self)
{
  return self->realm;
}

guint64
sws_auth_get_failures (SwsAuth *self)
{
  return self->failures;
}

guint
sws_auth_get_nonce_count (SwsAuth *self)
{
  return g_hash_table_size (self->nonces);
}

void
sws_auth_set_clock_offset (SwsAuth *self,
                           gint64   seconds)
{
  self->clock_offset = seconds * G_USEC_PER_SEC;
}

void
sws_auth_set_max_nonces (SwsAuth *self,
                         guint    max_nonces)
{
  g_return_if_fail (max_nonces > 0);

  self->max_nonces = max_nonces;
}

static gint64
now (SwsAuth *self)
{
  return g_get_real_time () + self->clock_offset;
}

/* ---- nonce-count tracking ----------------------------------------------- */

/* Forget a nonce, and so every nonce that expires no later: should one
 * of them come back while its time is not over (the heap's clock and the
 * wall clock can drift apart), it is refused, not replayable. */
static void
forget (SwsAuth  *self,
        NonceUse *use)
{
  self->forgotten_until = MAX (self->forgotten_until, use->expires);
  g_hash_table_remove (self->nonces, use->nonce);
}

static void
on_nonce_expired (SwsTimer *timer,
                  gpointer  user_data)
{
  NonceUse *use = user_data;

  forget (use->auth, use);
}

/* Accept `nc` for a valid nonce only when it is higher than every count
 * it was used with before (RFC 7616 §3.4: the client increments it). */
static gboolean
nonce_count_is_fresh (SwsAuth    *self,
                      const char *nonce,
                      gint64      expires,
                      guint32     nc)
{
  NonceUse *use = g_hash_table_lookup (self->nonces, nonce);

  if (use != NULL)
    {
      if (nc <= use->nc)
        return FALSE;
      use->nc = nc;
      return TRUE;
    }
  if (nc == 0 || expires <= self->forgotten_until)
    return FALSE;

  while (g_hash_table_size (self->nonces) >= self->max_nonces)
    forget (self, g_queue_peek_head (&self->order));

  use = g_new0 (NonceUse, 1);
  use->auth = self;
  use->expires = expires;
  use->nc = nc;
  use->link.data = use;
  g_strlcpy (use->nonce, nonce, sizeof use->nonce);
  g_queue_push_tail_link (&self->order, &use->link);
  g_hash_table_insert (self->nonces, use->nonce, use);
  sws_timer_init (&use->timer, on_nonce_expired, use);
  /* The heap runs on the monotonic clock. */
  sws_timer_heap_schedule (self->timers, &use->timer,
                           g_get_monotonic_time () + MAX (expires - now (self), 0));
  return TRUE;
}

/* ---- answers ------------------------------------------------------------ */

static gboolean
offered (SwsAuth            *self,
         SwsDigestAlgorithm  algorithm)
{
  for (guint i = 0; self->algorithms[i] != SWS_DIGEST_ALGORITHM_UNKNOWN; i++)
    if (self->algorithms[i] == algorithm)
      return TRUE;
  return FALSE;
}

static GBytes *
challenge (SwsAuth       *self,
           SwsSipMessage *request,
           SwsAuthRole    role,
           gboolean       stale)
{
  const char *name = role == SWS_AUTH_ROLE_UAS ? "WWW-Authenticate" : "Proxy-Authenticate";
  gint64 expires = now (self) + (gint64) self->nonce_lifetime * G_USEC_PER_SEC;
  g_autoptr(GString) headers = g_string_new (NULL);
  char nonce[SWS_DIGEST_NONCE_LEN + 1];

  sws_digest_nonce_make (self->secret, self->realm, expires, self->next_unique++, nonce);
  /* RFC 8760 §2.4: one challenge per algorithm, the preferred one first;
   * the same nonce serves all, as the client answers only one. */
  for (guint i = 0; self->algorithms[i] != SWS_DIGEST_ALGORITHM_UNKNOWN; i++)
    sws_digest_append_challenge (headers, name, self->algorithms[i], self->realm, nonce, NULL,
                                 stale);
  if (role == SWS_AUTH_ROLE_UAS)
    return sws_sip_response_simple (request, 401, "Unauthorized", headers->str);
  return sws_sip_response_simple (request, 407, "Proxy Authentication Required", headers->str);
}

static void
log_failure (SwsAuth       *self,
             SwsSipMessage *request,
             const char    *username,
             const char    *why)
{
  gint64 t = g_get_monotonic_time ();
  g_autofree char *shown = NULL;

  self->failures++;
  if (self->log_window_start == 0 || t - self->log_window_start >= LOG_WINDOW)
    {
      if (self->log_suppressed > 0)
        g_message ("%u more authentication failure(s) were not logged", self->log_suppressed);
      self->log_window_start = t;
      self->log_lines = 0;
      self->log_suppressed = 0;
    }
  if (self->log_lines >= LOG_BURST)
    {
      self->log_suppressed++;
      return;
    }
  self->log_lines++;
  /* The name comes from the network: escaped and cut short. */
  shown = g_strescape (username, NULL);
  if (strlen (shown) > 64)
    shown[64] = '\0';
  g_message ("Authentication failed for “%s” from %s (%s %.*s): %s", shown,
             request->source_ip[0] ? request->source_ip : "?",
             sws_method_to_string (request->method),
             (int) MIN (request->call_id.len, 64), request->call_id.p, why);
}

/* Credentials name the Request-URI (RFC 7616 §3.4.6); a client may write
 * it differently (parameters, case of the host), so scheme, user, host and
 * port are compared. */
static gboolean
uri_matches (SwsSipMessage *request,
             const char    *text)
{
  const SwsUri *ruri = &request->request_uri;
  SwsUri uri;

  if (sws_str_equal (sws_str_c (text), request->request_uri_text))
    return TRUE;
  if (!sws_uri_parse (sws_str_c (text), &uri, NULL))
    return FALSE;
  return uri.scheme == ruri->scheme && sws_str_equal (uri.user, ruri->user) &&
         sws_str_equal_ci (uri.host, ruri->host) && uri.port == ruri->port;
}

/* The user part of a SIP URI, %-escapes of unreserved characters
 * decoded, is `username`. */
static gboolean
uri_user_is (const SwsUri *uri,
             const char   *username)
{
  g_autofree char *aor = sws_uri_to_aor (uri);
  const char *user, *at;

  if (aor == NULL || (at = strrchr (aor, '@')) == NULL)
    return FALSE;
  user = strchr (aor, ':') + 1;
  return (gsize) (at - user) == strlen (username) &&
         memcmp (user, username, (gsize) (at - user)) == 0;
}

/* The first credentials of our realm; a malformed header only matters
 * when no good one is there. */
static gboolean
find_credentials (SwsAuth               *self,
                  SwsSipMessage         *request,
                  SwsHeaderId            id,
                  SwsDigestCredentials  *creds,
                  GError               **error)
{
  g_autoptr(GError) first_error = NULL;

  for (guint i = 0; i < request->n_headers; i++)
    {
      const SwsHeader *h = &request->headers[i];
      g_autoptr(GError) local_error = NULL;

      if (h->id != id || !sws_digest_is_digest_scheme (h->value))
        continue;
      if (!sws_digest_credentials_parse (h->value, creds, &local_error))
        {
          if (first_error == NULL)
            first_error = g_steal_pointer (&local_error);
          continue;
        }
      if (g_str_equal (creds->realm, self->realm))
        return TRUE;
      sws_digest_credentials_clear (creds);
    }
  if (first_error != NULL)
    g_propagate_error (error, g_steal_pointer (&first_error));
  return FALSE;
}

gboolean
sws_auth_check (SwsAuth        *self,
                SwsSipMessage  *request,
                SwsAuthRole     role,
                char          **out_username,
                GBytes        **out_response)
{
  g_auto(SwsDigestCredentials) creds = { 0 };
  g_autoptr(GError) error = NULL;
  SwsDigestNonceStatus nonce_status;
  const char *ha1 = NULL;
  const char *method;
  gint64 expires = 0;
  gboolean own;

  g_return_val_if_fail (SWS_IS_AUTH (self), FALSE);
  g_return_val_if_fail (out_response != NULL, FALSE);
  g_return_val_if_fail (sws_auth_is_enabled (self), FALSE);

  if (!find_credentials (self, request,
                         role == SWS_AUTH_ROLE_UAS ? SWS_HDR_AUTHORIZATION
                                                   : SWS_HDR_PROXY_AUTHORIZATION,
                         &creds, &error))
    {
      if (error != NULL)
        *out_response = sws_sip_response_simple (request, 400, error->message, NULL);
      else
        *out_response = challenge (self, request, role, FALSE);
      return FALSE;
    }

  /* An algorithm or qop we did not offer: offer ours again. */
  if (!sws_digest_credentials_supported (&creds) || !offered (self, creds.algorithm))
    {
      *out_response = challenge (self, request, role, FALSE);
      return FALSE;
    }
  if (!uri_matches (request, creds.uri))
    {
      *out_response = sws_sip_response_simple (request, 400, "Digest URI Does Not Match", NULL);
      return FALSE;
    }

  method = request->method != SWS_METHOD_UNKNOWN ? sws_method_to_string (request->method) : "";
  nonce_status = sws_digest_nonce_check (self->secret, self->realm, creds.nonce, now (self),
                                         &expires);
  ha1 = sws_users_file_lookup (self->users, creds.username, self->realm, creds.algorithm);
  if (ha1 == NULL || !sws_digest_verify (&creds, ha1, method))
    {
      /* Unknown users and wrong passwords look the same from outside. */
      log_failure (self, request, creds.username, ha1 == NULL ? "unknown user" : "wrong password");
      *out_response = challenge (self, request, role, FALSE);
      return FALSE;
    }

  /* The password was right; only the nonce is not good (any more): the
   * client may retry at once without asking its user (RFC 7616 §3.3). A
   * nonce that is not ours at all (made before a restart) counts too. */
  if (nonce_status != SWS_DIGEST_NONCE_VALID ||
      !nonce_count_is_fresh (self, creds.nonce, expires,
                             creds.qop == SWS_DIGEST_QOP_NONE ? 1 : creds.nc))
    {
      g_debug ("stale or reused nonce from %s for call %.*s", creds.username,
               (int) request->call_id.len, request->call_id.p);
      *out_response = challenge (self, request, role, TRUE);
      return FALSE;
    }

  /* §22.1 leaves what a user may do to the server: its own AOR only
   * (REGISTER's To, §10.2), and its own identity in From. */
  own = request->method == SWS_METHOD_REGISTER ? uri_user_is (&request->to.uri, creds.username)
                                               : uri_user_is (&request->from.uri, creds.username);
  if (!own)
    {
      g_debug ("%s may not send %s as %.*s", creds.username, method,
               (int) (request->method == SWS_METHOD_REGISTER ? request->to.uri_text.len
                                                             : request->from.uri_text.len),
               request->method == SWS_METHOD_REGISTER ? request->to.uri_text.p
                                                      : request->from.uri_text.p);
      *out_response = sws_sip_response_simple (request, 403, "Forbidden", NULL);
      return FALSE;
    }

  if (out_username != NULL)
    *out_username = g_strdup (creds.username);
  return TRUE;
}
