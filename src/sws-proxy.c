/* sws-proxy.c: the stateful proxy (RFC 3261 §16) between WebSocket flows
 *
 * Every request a client sends to another client comes here. It is routed
 * (a served AOR to all its bindings — parallel forking, §16.6 — or an
 * in-dialog request to the flow named by our Record-Route), forwarded in
 * one client transaction per branch, and the responses are collected into
 * the best one for the caller (§16.7). WebSocket clients cannot be
 * reached by address (their Via and Contact hosts are ".invalid"), so
 * everything is sent over flows: the Record-Route we insert carries the
 * two flows of a dialog, signed so that nobody can forge one.
 *
 * Transactions are in sws-proxy-txn.c, calls (INVITE dialogs) in
 * sws-proxy-dialog.c.
 */

#define G_LOG_DOMAIN "sws-proxy"

#include "config.h"

#include "sip/sws-sip-forward.h"
#include "sip/sws-sip-transaction.h"
#include "sip/sws-sip-writer.h"
#include "sws-proxy-private.h"

G_DEFINE_FINAL_TYPE (SwsProxy, sws_proxy, G_TYPE_OBJECT)

enum {
  SIGNAL_CALL_ADDED,
  SIGNAL_CALL_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- object ------------------------------------------------------------- */

static void
sws_proxy_dispose (GObject *object)
{
  SwsProxy *self = SWS_PROXY (object);

  /* Dialogs reference transactions; transactions reference flows. */
  g_clear_pointer (&self->dialogs, g_hash_table_unref);
  g_clear_pointer (&self->client_txns, g_hash_table_unref);
  g_clear_pointer (&self->server_txns, g_hash_table_unref);
  g_clear_pointer (&self->flows, g_hash_table_unref);
  g_clear_object (&self->registrar);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (sws_proxy_parent_class)->dispose (object);
}

static void
sws_proxy_finalize (GObject *object)
{
  SwsProxy *self = SWS_PROXY (object);

  g_free (self->local);
  g_free (self->auth_realm);
  if (self->key_scratch != NULL)
    g_string_free (self->key_scratch, TRUE);

  G_OBJECT_CLASS (sws_proxy_parent_class)->finalize (object);
}

static void
sws_proxy_class_init (SwsProxyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sws_proxy_dispose;
  object_class->finalize = sws_proxy_finalize;

  /**
   * SwsProxy::call-added:
   * @call: a new call, in state dialing
   */
  signals[SIGNAL_CALL_ADDED] =
    g_signal_new ("call-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SWS_TYPE_CALL);
  /**
   * SwsProxy::call-removed:
   * @call: a terminated call whose linger time is over
   */
  signals[SIGNAL_CALL_REMOVED] =
    g_signal_new ("call-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SWS_TYPE_CALL);
}

static void
sws_proxy_init (SwsProxy *self)
{
  self->server_txns = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                             (GDestroyNotify) sws_server_txn_free);
  self->client_txns = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                             (GDestroyNotify) sws_client_txn_free);
  self->flows = g_hash_table_new (g_direct_hash, g_direct_equal);
  self->dialogs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                         (GDestroyNotify) sws_dialog_free);
  self->key_scratch = g_string_sized_new (128);
  self->salt = ((guint64) g_random_int () << 32) | g_random_int ();
  for (guint i = 0; i < G_N_ELEMENTS (self->secret); i++)
    self->secret[i] = (guint8) g_random_int_range (0, 256);
  self->call_linger = G_MAXUINT;
  self->local = g_strdup ("127.0.0.1:5066");
}

SwsProxy *
sws_proxy_new (SwsConfig    *config,
               SwsRegistrar *registrar,
               SwsTimerHeap *timers)
{
  SwsProxy *self = g_object_new (SWS_TYPE_PROXY, NULL);

  self->config = g_object_ref (config);
  self->registrar = g_object_ref (registrar);
  self->timers = timers;
  return self;
}

void
sws_proxy_set_local_address (SwsProxy   *self,
                             const char *host_port)
{
  g_free (self->local);
  self->local = g_strdup (host_port);
}

void
sws_proxy_set_call_linger (SwsProxy *self,
                           guint     seconds)
{
  self->call_linger = seconds;
}

void
sws_proxy_emit_call_added (SwsProxy *self,
                           SwsCall  *call)
{
  g_signal_emit (self, signals[SIGNAL_CALL_ADDED], 0, call);
}

void
sws_proxy_emit_call_removed (SwsProxy *self,
                             SwsCall  *call)
{
  g_signal_emit (self, signals[SIGNAL_CALL_REMOVED], 0, call);
}

/* ---- sending ------------------------------------------------------------ */

gboolean
sws_proxy_send (SwsProxy      *self,
                SwsConnection *connection,
                GBytes        *bytes)
{
  gsize len;
  const char *data;

  if (connection == NULL || !sws_connection_send (connection, bytes))
    return FALSE;
  self->sent++;
  data = g_bytes_get_data (bytes, &len);
  sws_sip_stats_count_bytes (&self->sent_stats, data, len);
  return TRUE;
}

void
sws_proxy_reply (SwsProxy      *self,
                 SwsConnection *connection,
                 SwsSipMessage *request,
                 guint          status,
                 const char    *reason,
                 const char    *extra_headers)
{
  g_autoptr(GBytes) bytes = sws_sip_response_simple (request, status, reason, extra_headers);

  sws_proxy_send (self, connection, bytes);
}

/* ---- flows and flow tokens ---------------------------------------------- */

void
sws_proxy_connection_opened (SwsProxy      *self,
                             SwsConnection *connection)
{
  g_hash_table_insert (self->flows, GSIZE_TO_POINTER (sws_connection_get_id (connection)),
                       connection);
}

static SwsConnection *
find_flow (SwsProxy *self,
           guint64   id)
{
  return g_hash_table_lookup (self->flows, GSIZE_TO_POINTER (id));
}

/* Sign a pair of flow ids so that a Route cannot be forged to reach
 * someone else's WebSocket. */
static void
flow_mac (SwsProxy *self,
          guint64   a,
          guint64   b,
          char      out[17])
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, self->secret, sizeof self->secret);
  guint8 digest[32];
  gsize len = sizeof digest;
  guint64 pair[2] = { a, b };

  g_hmac_update (hmac, (const guchar *) pair, sizeof pair);
  g_hmac_get_digest (hmac, digest, &len);
  for (guint i = 0; i < 8; i++)
    g_snprintf (out + 2 * i, 3, "%02x", digest[i]);
}

char *
sws_proxy_record_route_for (SwsProxy      *self,
                  SwsConnection *caller,
                  SwsConnection *callee)
{
  guint64 a = sws_connection_get_id (caller), b = sws_connection_get_id (callee);
  char mac[17];

  flow_mac (self, a, b, mac);
  return g_strdup_printf ("<sip:%s;transport=ws;lr;sws=%" G_GUINT64_FORMAT ".%"
                          G_GUINT64_FORMAT ".%s>", self->local, a, b, mac);
}

/* A URI of ours carries a valid "sws" flow-pair parameter. */
static gboolean
parse_flow_token (SwsProxy     *self,
                  const SwsUri *uri,
                  guint64      *a,
                  guint64      *b)
{
  SwsStr value;
  char text[80], mac[17];
  char *dot1, *dot2, *end = NULL;

  if (!sws_uri_get_param (uri, "sws", &value) || value.len == 0 || value.len >= sizeof text)
    return FALSE;
  memcpy (text, value.p, value.len);
  text[value.len] = '\0';
  dot1 = strchr (text, '.');
  dot2 = dot1 ? strchr (dot1 + 1, '.') : NULL;
  if (dot2 == NULL)
    return FALSE;
  *a = g_ascii_strtoull (text, &end, 10);
  if (end != dot1)
    return FALSE;
  *b = g_ascii_strtoull (dot1 + 1, &end, 10);
  if (end != dot2)
    return FALSE;
  flow_mac (self, *a, *b, mac);
  return strcmp (dot2 + 1, mac) == 0;
}

/* ---- routing ------------------------------------------------------------ */

typedef struct
{
  guint pop_routes;
  gboolean pop_last_route;
  gboolean have_flows;
  guint64 flow_a;
  guint64 flow_b;
  SwsStr request_uri;       /* replaced Request-URI (strict routing) */
} RouteInfo;

/* §16.4: take our own URI off the route set, from the top (loose routing)
 * or from the Request-URI (a strict router before us). */
static gboolean
preprocess_routes (SwsProxy      *self,
                   SwsSipMessage *request,
                   RouteInfo     *info,
                   GError       **error)
{
  SwsValueIter iter;
  SwsStr value, last = SWS_STR_NULL;
  SwsNameAddr na;
  guint n = 0;

  memset (info, 0, sizeof *info);

  if (parse_flow_token (self, &request->request_uri, &info->flow_a, &info->flow_b))
    {
      /* Strict routing: the Request-URI is us; the real one is the last
       * Route value. */
      info->have_flows = TRUE;
      sws_value_iter_init (&iter, request, SWS_HDR_ROUTE);
      while (sws_value_iter_next (&iter, &value))
        last = value;
      if (SWS_STR_IS_SET (last))
        {
          if (!sws_name_addr_parse (last, FALSE, &na, error))
            return FALSE;
          info->request_uri = na.uri_text;
          info->pop_last_route = TRUE;
        }
      return TRUE;
    }

  sws_value_iter_init (&iter, request, SWS_HDR_ROUTE);
  while (sws_value_iter_next (&iter, &value))
    {
      guint64 a, b;

      if (!sws_name_addr_parse (value, FALSE, &na, error))
        return FALSE;
      if (!parse_flow_token (self, &na.uri, &a, &b))
        break;
      /* Ours (possibly twice after a spiral): pop it. */
      info->have_flows = TRUE;
      info->flow_a = a;
      info->flow_b = b;
      n++;
    }
  info->pop_routes = n;
  return TRUE;
}

void
sws_proxy_set_auth_realm (SwsProxy   *self,
                          const char *realm)
{
  g_free (self->auth_realm);
  self->auth_realm = g_strdup (realm);
}

gboolean
sws_proxy_is_dialog_route (SwsProxy      *self,
                           SwsConnection *connection,
                           SwsSipMessage *request)
{
  guint64 id = sws_connection_get_id (connection);
  RouteInfo info;

  /* Only inside a dialog (§12.2: To has a tag), and only the two flows
   * the route was made for may use it. */
  return SWS_STR_IS_SET (request->to.tag) &&
         preprocess_routes (self, request, &info, NULL) && info.have_flows &&
         (id == info.flow_a || id == info.flow_b);
}

/* §16.3 step 4: our Via with the branch we would compute now means the
 * request came back unchanged: a loop, not a spiral. */
static gboolean
is_loop (SwsProxy      *self,
         SwsSipMessage *request)
{
  char branch[SWS_BRANCH_MAX];
  gsize blen;
  SwsValueIter iter;
  SwsStr value;

  sws_sip_compute_branch (request, self->salt, branch);
  blen = strlen (branch);
  sws_value_iter_init (&iter, request, SWS_HDR_VIA);
  while (sws_value_iter_next (&iter, &value))
    {
      SwsVia via;

      if (!sws_via_parse (value, &via, NULL) || !SWS_STR_IS_SET (via.branch))
        continue;
      if (via.branch.len > blen && memcmp (via.branch.p, branch, blen) == 0 &&
          via.branch.p[blen] == '.')
        return TRUE;
    }
  return FALSE;
}

/* The flow an in-dialog request goes to: the other one of the pair named
 * in our Record-Route, or, failing that, the flow of the binding whose
 * Contact is the Request-URI. */
static SwsConnection *
dialog_target (SwsProxy      *self,
               SwsConnection *from,
               RouteInfo     *info,
               SwsStr         request_uri)
{
  guint64 id = sws_connection_get_id (from);
  g_autofree char *contact = NULL;
  SwsRegistration *reg;

  if (info->have_flows)
    {
      SwsConnection *target = NULL;

      if (id == info->flow_a)
        target = find_flow (self, info->flow_b);
      else if (id == info->flow_b)
        target = find_flow (self, info->flow_a);
      if (target != NULL)
        return target;
    }

  contact = sws_str_dup (request_uri);
  reg = sws_registrar_find_contact (self->registrar, contact);
  return reg ? sws_registration_get_connection (reg) : NULL;
}

static void
handle_ack (SwsProxy      *self,
            SwsConnection *connection,
            SwsSipMessage *request)
{
  ServerTxn *st;
  RouteInfo info;
  SwsConnection *target;
  SwsStr ruri;

  /* An ACK for our non-2xx final ends that transaction (§17.2.1). */
  sws_sip_server_key (request, SWS_METHOD_INVITE, self->key_scratch);
  st = g_hash_table_lookup (self->server_txns, self->key_scratch->str);
  if (st != NULL && st->final_status >= 300)
    {
      sws_server_txn_remove (self, st);
      return;
    }

  /* An ACK for a 2xx is its own transaction, end to end (§13.2.2.4):
   * forwarded statelessly along the dialog's route. */
  if (!preprocess_routes (self, request, &info, NULL))
    return;
  ruri = SWS_STR_IS_SET (info.request_uri) ? info.request_uri : request->request_uri_text;
  target = dialog_target (self, connection, &info, ruri);
  if (target == NULL)
    {
      g_debug ("ACK for call %.*s has nowhere to go, dropped",
               (int) request->call_id.len, request->call_id.p);
      return;
    }
  {
    g_autoptr(GBytes) bytes = NULL;
    g_autofree char *via = NULL;
    char branch[SWS_BRANCH_MAX];
    SwsForwardEdits edits = { 0 };

    sws_sip_compute_branch (request, self->salt, branch);
    via = g_strdup_printf ("SIP/2.0/%s %s;branch=%s.0", sws_connection_get_transport (target),
                           self->local, branch);
    edits.request_uri = info.request_uri;
    edits.via = via;
    edits.pop_routes = info.pop_routes;
    edits.pop_last_route = info.pop_last_route;
    edits.max_forwards = request->max_forwards < 0 ? 70 : request->max_forwards - 1;
    bytes = sws_sip_forward_request (request, &edits);
    sws_dialog_in_dialog_request (self, connection, request);
    sws_proxy_send (self, target, bytes);
  }
}

static void
handle_cancel (SwsProxy      *self,
               SwsConnection *connection,
               SwsSipMessage *request)
{
  ServerTxn *st;

  /* §16.10: CANCEL matches the INVITE's server transaction; it is
   * answered here and never forwarded as such. */
  sws_sip_server_key (request, SWS_METHOD_INVITE, self->key_scratch);
  st = g_hash_table_lookup (self->server_txns, self->key_scratch->str);
  if (st == NULL || st->request->method != SWS_METHOD_INVITE)
    {
      sws_proxy_reply (self, connection, request, 481, sws_proxy_reason_phrase (481), NULL);
      return;
    }
  sws_proxy_reply (self, connection, request, 200, "OK", NULL);
  if (st->final_status != 0)
    return;
  if (st->dialog != NULL)
    sws_dialog_cancelled (self, st->dialog, SWS_CALL_PARTY_CALLER);
  sws_proxy_cancel_server_txn (self, st);
  /* Nobody to wait for: answer the INVITE now. */
  if (st->branches->len == 0)
    sws_server_txn_maybe_finish (self, st);
}

/* Targets of a request outside any dialog: every live binding of the AOR
 * in the Request-URI (§16.5), in the order they registered. */
static guint
lookup_targets (SwsProxy      *self,
                SwsSipMessage *request,
                GPtrArray     *out)
{
  g_autofree char *aor = NULL;
  GPtrArray *bindings;

  if (!sws_config_serves_domain (self->config, request->request_uri.host.p,
                                 request->request_uri.host.len))
    return 404;
  aor = sws_uri_to_aor (&request->request_uri);
  bindings = aor ? sws_registrar_lookup (self->registrar, aor) : NULL;
  if (bindings == NULL)
    {
      /* Perhaps a request to a contact without our Route (a client that
       * ignored Record-Route): deliver it on that contact's flow. */
      g_autofree char *contact = sws_str_dup (request->request_uri_text);
      SwsRegistration *reg = sws_registrar_find_contact (self->registrar, contact);

      if (reg != NULL && sws_registration_get_connection (reg) != NULL)
        {
          g_ptr_array_add (out, reg);
          return 0;
        }
      return 404;
    }
  for (guint i = 0; i < bindings->len; i++)
    {
      SwsRegistration *reg = bindings->pdata[i];
      SwsConnection *conn = sws_registration_get_connection (reg);

      if (conn != NULL && !sws_connection_is_closed (conn))
        g_ptr_array_add (out, reg);
    }
  return out->len > 0 ? 0 : 480;
}

void
sws_proxy_handle_request (SwsProxy      *self,
                          SwsConnection *connection,
                          SwsSipMessage *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) targets = NULL;
  RouteInfo info;
  ServerTxn *st;
  guint status;

  if (request->method == SWS_METHOD_ACK)
    {
      handle_ack (self, connection, request);
      return;
    }
  if (request->method == SWS_METHOD_CANCEL)
    {
      handle_cancel (self, connection, request);
      return;
    }

  /* A retransmission over a reliable flow is rare but harmless to absorb. */
  sws_sip_server_key (request, request->method, self->key_scratch);
  if (g_hash_table_contains (self->server_txns, self->key_scratch->str))
    return;

  if (is_loop (self, request))
    {
      sws_proxy_reply (self, connection, request, 482, sws_proxy_reason_phrase (482), NULL);
      return;
    }
  if (!preprocess_routes (self, request, &info, &error))
    {
      sws_proxy_reply (self, connection, request, 400, error->message, NULL);
      return;
    }

  if (info.have_flows || SWS_STR_IS_SET (request->to.tag))
    {
      /* In a dialog (§16.4, §12.2): one target, Request-URI untouched. */
      SwsStr ruri = SWS_STR_IS_SET (info.request_uri) ? info.request_uri
                                                      : request->request_uri_text;
      SwsConnection *target = dialog_target (self, connection, &info, ruri);

      if (target == NULL)
        {
          sws_proxy_reply (self, connection, request, SWS_STR_IS_SET (request->to.tag) ? 481 : 404,
                           SWS_STR_IS_SET (request->to.tag) ? sws_proxy_reason_phrase (481) : sws_proxy_reason_phrase (404),
                           NULL);
          return;
        }
      st = sws_server_txn_new (self, connection, request);
      sws_dialog_in_dialog_request (self, connection, request);
      if (request->method == SWS_METHOD_INVITE)
        sws_proxy_reply (self, connection, request, 100, "Trying", NULL);
      sws_proxy_forward_branch (self, st, connection, request, target, info.request_uri,
                      info.pop_routes, info.pop_last_route, 0);
      return;
    }

  targets = g_ptr_array_new ();
  status = lookup_targets (self, request, targets);
  if (status != 0)
    {
      sws_proxy_reply (self, connection, request, status, sws_proxy_reason_phrase (status), NULL);
      return;
    }

  st = sws_server_txn_new (self, connection, request);
  if (request->method == SWS_METHOD_INVITE)
    {
      /* §16.2: tell the caller at once that we are on it. */
      sws_proxy_reply (self, connection, request, 100, "Trying", NULL);
      st->dialog = sws_dialog_new (self, st, connection, request, targets);
    }
  for (guint i = 0; i < targets->len; i++)
    {
      SwsRegistration *reg = targets->pdata[i];
      SwsStr contact = sws_str_c (sws_registration_get_contact (reg));

      sws_proxy_forward_branch (self, st, connection, request, sws_registration_get_connection (reg),
                      contact, info.pop_routes, FALSE, i + 1);
    }
}

/* ---- flows closing ------------------------------------------------------ */

void
sws_proxy_connection_closed (SwsProxy      *self,
                             SwsConnection *connection)
{
  g_autoptr(GPtrArray) lost = g_ptr_array_new ();
  GHashTableIter iter;
  ClientTxn *ct;
  ServerTxn *st;

  g_hash_table_remove (self->flows, GSIZE_TO_POINTER (sws_connection_get_id (connection)));
  sws_dialog_connection_closed (self, connection);

  /* Branches towards this flow will never answer: 480 for them (§16.7
   * would otherwise wait for Timer C). */
  g_hash_table_iter_init (&iter, self->client_txns);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &ct))
    if (ct->connection == connection)
      g_ptr_array_add (lost, ct);
  for (guint i = 0; i < lost->len; i++)
    {
      ct = lost->pdata[i];
      sws_client_txn_final (self, ct, ct->server && ct->server->cancelled ? 487 : 480, NULL);
    }

  /* Transactions from this flow have nobody to answer: cancel what they
   * started and let them go. */
  g_ptr_array_set_size (lost, 0);
  g_hash_table_iter_init (&iter, self->server_txns);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &st))
    if (st->connection == connection)
      g_ptr_array_add (lost, st);
  for (guint i = 0; i < lost->len; i++)
    {
      st = lost->pdata[i];
      if (st->final_status == 0)
        sws_proxy_cancel_server_txn (self, st);
      if (st->branches->len == 0)
        sws_server_txn_remove (self, st);
    }
}

/* ---- listings ----------------------------------------------------------- */

guint
sws_proxy_get_transaction_count (SwsProxy *self)
{
  return g_hash_table_size (self->server_txns) + g_hash_table_size (self->client_txns);
}

const SwsSipStats *
sws_proxy_get_sent_stats (SwsProxy *self)
{
  return &self->sent_stats;
}

guint64
sws_proxy_get_messages_sent (SwsProxy *self)
{
  return self->sent;
}
