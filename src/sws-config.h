/* sws-config.h: daemon settings from GKeyFile and the command line */
#pragma once

#include <glib-object.h>

#include "sip/sws-sip-digest.h"

G_BEGIN_DECLS

#define SWS_TYPE_CONFIG (sws_config_get_type ())
G_DECLARE_FINAL_TYPE (SwsConfig, sws_config, SWS, CONFIG, GObject)

#define SWS_DEFAULT_LISTEN "ws://127.0.0.1:5066"

SwsConfig   *sws_config_new                 (void);

/* Read `path`, or when NULL the first of $XDG_CONFIG_HOME/sipws/sipwsd.conf
 * and SYSCONFDIR/sipws/sipwsd.conf that exists (none is fine). Settings not
 * in the file keep their defaults. Unknown keys are reported as warnings in
 * the log; invalid values are errors naming the key. */
gboolean     sws_config_load                (SwsConfig   *self,
                                             const char  *path,
                                             GError     **error);
/* Command-line --listen values replace the file's listen= list. */
void         sws_config_override_listen     (SwsConfig          *self,
                                             const char * const *uris);
/* Cross-checks run after load and overrides (listen URIs parse, expiry
 * limits are ordered, non-loopback listeners need auth or an explicit
 * allow-unauthenticated=true). */
gboolean     sws_config_validate            (SwsConfig   *self,
                                             GError     **error);

/* Take over the settings of `other` that apply while running (domains,
 * registrar limits, keepalive, connection limits, log level, [auth]); the listen
 * addresses only change on restart. Used by reload. */
void         sws_config_update_from         (SwsConfig *self,
                                             SwsConfig *other);

const char  *sws_config_get_path            (SwsConfig *self);
const char * const *sws_config_get_listen   (SwsConfig *self);
const char * const *sws_config_get_domains  (SwsConfig *self);
gboolean     sws_config_serves_domain       (SwsConfig  *self,
                                             const char *host,
                                             gsize       host_len);
gboolean     sws_config_get_allow_unauthenticated (SwsConfig *self);
guint        sws_config_get_keepalive_interval    (SwsConfig *self);
/* Seconds a connection may take to send a whole HTTP request (the
 * WebSocket handshake, or the next request on a kept-alive connection). */
guint        sws_config_get_handshake_timeout     (SwsConfig *self);
guint        sws_config_get_max_connections (SwsConfig *self);
guint        sws_config_get_max_connections_per_ip (SwsConfig *self);
/* Origins whose pages may open a WebSocket (exact "scheme://host[:port]"
 * or "*"); NULL when not configured: then loopback and the server's own
 * origins only, unless authentication is on. */
const char * const *sws_config_get_allowed_origins (SwsConfig *self);
/* SIP requests per second one address may send, and the burst it may
 * save up (token bucket); 0 turns the limit off. Loopback peers are
 * exempt unless rate-limit-loopback is set. */
guint        sws_config_get_rate_limit      (SwsConfig *self);
guint        sws_config_get_rate_limit_burst (SwsConfig *self);
gboolean     sws_config_get_rate_limit_loopback (SwsConfig *self);
/* PEM files for wss:// listeners (absolute, or relative to the config
 * file); NULL when not set. Re-read on reload: a renewed certificate is
 * used for new connections. */
const char  *sws_config_get_tls_certificate (SwsConfig *self);
const char  *sws_config_get_tls_key         (SwsConfig *self);
guint        sws_config_get_default_expires (SwsConfig *self);
guint        sws_config_get_min_expires     (SwsConfig *self);
guint        sws_config_get_max_expires     (SwsConfig *self);
guint        sws_config_get_max_contacts    (SwsConfig *self);
/* Timer C (RFC 3261 §16.6 step 11): how long a ringing INVITE may wait
 * for an answer, in seconds. */
guint        sws_config_get_invite_timeout  (SwsConfig *self);
/* How long an ended call stays listed, in seconds. */
guint        sws_config_get_call_linger     (SwsConfig *self);
const char  *sws_config_get_log_level       (SwsConfig *self);
/* [http]: the bearer token the API and status page want from clients that
 * are not trusted loopback peers (NULL: none, they are refused), the one
 * /metrics wants (NULL: the API's), whether /metrics is open to all, and
 * whether loopback peers need no token. */
const char  *sws_config_get_http_token      (SwsConfig *self);
const char  *sws_config_get_http_metrics_token (SwsConfig *self);
gboolean     sws_config_get_http_public_metrics (SwsConfig *self);
gboolean     sws_config_get_http_trust_loopback (SwsConfig *self);
/* [auth]: the users file (absolute), or NULL when there is no [auth]. */
const char  *sws_config_get_users_file      (SwsConfig *self);
/* The realm of challenges: realm=, else the first of domains=, else the
 * host of the first listen URI. */
char        *sws_config_dup_realm           (SwsConfig *self);
/* Seconds a nonce is good for (default 300). */
guint        sws_config_get_nonce_lifetime  (SwsConfig *self);
/* The algorithms to challenge with, preferred first, ending with
 * SWS_DIGEST_ALGORITHM_UNKNOWN (default SHA-256, MD5). */
const SwsDigestAlgorithm *sws_config_get_auth_algorithms (SwsConfig *self);

/* Is this listen URI's host a loopback address (127.0.0.0/8, ::1,
 * "localhost")? */
gboolean     sws_listen_uri_is_loopback     (const char *uri);

G_END_DECLS
