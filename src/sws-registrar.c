/* sws-registrar.c: the location service and REGISTER handling
 *
 * RFC 3261 §10.3 with the WebSocket rules of RFC 7118 §5 (a binding lives
 * as long as its flow) and the instance/reg-id identification of RFC 5626
 * §6. One hash table maps each canonical AOR to its bindings; expiry runs
 * on the daemon's single timer heap. A refresh touches a few fields and
 * moves one heap entry: no allocation when nothing changed, no signal.
 */

#define G_LOG_DOMAIN "sws-registrar"

#include "config.h"

#include <stdio.h>

#include "sip/sws-sip-writer.h"
#include "sws-registrar.h"

/* RFC 3261 §10.3 step 6 is per contact; a REGISTER listing more than this
 * is not a softphone. */
#define MAX_CONTACTS_PER_REQUEST 32

typedef struct
{
  char *aor;
  GPtrArray *bindings;   /* SwsRegistration, owned */
  SwsTimer forget;       /* runs while the AOR has no binding */
  SwsTimerHeap *timers;
} SwsAor;

struct _SwsRegistrar
{
  GObject parent_instance;

  SwsConfig *config;
  SwsTimerHeap *timers;   /* unowned, outlives us */
  GHashTable *aors;       /* char *aor (owned by SwsAor) -> SwsAor */
  GHashTable *contacts;   /* contact key (see contact_key()) -> SwsRegistration */
  guint count;
};

G_DEFINE_FINAL_TYPE (SwsRegistrar, sws_registrar, G_TYPE_OBJECT)

enum {
  SIGNAL_REGISTRATION_ADDED,
  SIGNAL_REGISTRATION_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* One Contact of a REGISTER, checked before anything is changed so that
 * the request succeeds or fails as a whole (§10.3 step 6). */
typedef struct
{
  SwsNameAddr na;
  guint expires;
  guint q;
  SwsStr instance;
  guint reg_id;
  SwsRegistration *existing;
} ContactUpdate;

static void
sws_aor_free (SwsAor *aor)
{
  sws_timer_heap_cancel (aor->timers, &aor->forget);
  g_ptr_array_unref (aor->bindings);
  g_free (aor->aor);
  g_free (aor);
}

static void
sws_registrar_dispose (GObject *object)
{
  SwsRegistrar *self = SWS_REGISTRAR (object);

  if (self->aors != NULL)
    sws_registrar_remove_all (self, SWS_REMOVED_ADMINISTRATIVE);
  g_clear_pointer (&self->contacts, g_hash_table_unref);
  g_clear_pointer (&self->aors, g_hash_table_unref);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (sws_registrar_parent_class)->dispose (object);
}

static void
sws_registrar_class_init (SwsRegistrarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sws_registrar_dispose;

  /**
   * SwsRegistrar::registration-added:
   * @registration: the new binding
   */
  signals[SIGNAL_REGISTRATION_ADDED] =
    g_signal_new ("registration-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SWS_TYPE_REGISTRATION);
  /**
   * SwsRegistrar::registration-removed:
   * @registration: the binding, still alive during the emission
   * @reason: a #SwsRemovedReason
   */
  signals[SIGNAL_REGISTRATION_REMOVED] =
    g_signal_new ("registration-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, SWS_TYPE_REGISTRATION, G_TYPE_UINT);
}

static void
sws_registrar_init (SwsRegistrar *self)
{
  self->aors = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                      (GDestroyNotify) sws_aor_free);
  self->contacts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

SwsRegistrar *
sws_registrar_new (SwsConfig    *config,
                   SwsTimerHeap *timers)
{
  SwsRegistrar *self = g_object_new (SWS_TYPE_REGISTRAR, NULL);

  self->config = g_object_ref (config);
  self->timers = timers;
  return self;
}

/* Contacts compare by scheme, user, host and port: RFC 3261 §19.1.4
 * ignores a parameter present in only one URI, and browser clients add
 * ";ob" (RFC 5626) to the Contact of their calls but not of their
 * REGISTER. NULL when the text is not a SIP URI. */
static char *
contact_key (const char *contact)
{
  g_autofree char *aor = NULL;
  SwsUri uri;

  if (contact == NULL || !sws_uri_parse (sws_str_c (contact), &uri, NULL))
    return NULL;
  aor = sws_uri_to_aor (&uri);
  if (aor == NULL)
    return NULL;
  if (uri.port != 0)
    return g_strdup_printf ("%s:%u", aor, uri.port);
  return g_steal_pointer (&aor);
}

static void
detach (SwsRegistrar     *self,
        SwsAor           *aor,
        SwsRegistration  *reg,
        SwsRemovedReason  reason)
{
  SwsConnection *conn = sws_registration_get_connection (reg);

  g_object_ref (reg);
  sws_timer_heap_cancel (self->timers, sws_registration_get_timer (reg));
  if (conn != NULL)
    sws_connection_remove_binding (conn, reg);
  {
    g_autofree char *key = contact_key (sws_registration_get_contact (reg));

    if (key != NULL && g_hash_table_lookup (self->contacts, key) == reg)
      g_hash_table_remove (self->contacts, key);
  }
  g_ptr_array_remove_fast (aor->bindings, reg);   /* drops the AOR's ref */
  self->count--;

  g_debug ("%s: binding %s removed (reason %u)", sws_registration_get_aor (reg),
           sws_registration_get_contact (reg), reason);
  sws_registration_emit_removed (reg, reason);
  g_signal_emit (self, signals[SIGNAL_REGISTRATION_REMOVED], 0, reg, (guint) reason);

  /* Remember an AOR without bindings for a while, so that a request for
   * it gets 480 (known, offline) rather than 404 (unknown). */
  if (aor->bindings->len == 0)
    sws_timer_heap_schedule (self->timers, &aor->forget,
                             g_get_monotonic_time () +
                             (gint64) sws_config_get_max_expires (self->config) * G_USEC_PER_SEC);
  g_object_unref (reg);
}

static SwsAor *
find_aor (SwsRegistrar *self, const char *aor)
{
  return g_hash_table_lookup (self->aors, aor);
}

void
sws_registrar_remove (SwsRegistrar     *self,
                      SwsRegistration  *registration,
                      SwsRemovedReason  reason)
{
  SwsAor *aor;

  g_return_if_fail (SWS_IS_REGISTRAR (self));
  g_return_if_fail (SWS_IS_REGISTRATION (registration));

  aor = find_aor (self, sws_registration_get_aor (registration));
  if (aor == NULL || !g_ptr_array_find (aor->bindings, registration, NULL))
    return;
  detach (self, aor, registration, reason);
}

void
sws_registrar_remove_all (SwsRegistrar     *self,
                          SwsRemovedReason  reason)
{
  g_autoptr(GPtrArray) all = sws_registrar_list (self);

  for (guint i = 0; i < all->len; i++)
    sws_registrar_remove (self, all->pdata[i], reason);
}

static void
on_binding_expired (SwsTimer *timer,
                    gpointer  user_data)
{
  SwsRegistrar *self = user_data;
  SwsRegistration *reg = sws_registration_from_timer (timer);

  g_info ("%s: binding %s expired", sws_registration_get_aor (reg),
             sws_registration_get_contact (reg));
  sws_registrar_remove (self, reg, SWS_REMOVED_EXPIRED);
}

void
sws_registrar_connection_closed (SwsRegistrar  *self,
                                 SwsConnection *connection)
{
  g_autoptr(GPtrArray) bindings = sws_connection_steal_bindings (connection);

  if (bindings == NULL)
    return;
  for (guint i = 0; i < bindings->len; i++)
    {
      SwsRegistration *reg = bindings->pdata[i];

      sws_registration_set_connection (reg, NULL);
      sws_registrar_remove (self, reg, SWS_REMOVED_CONNECTION_CLOSED);
    }
}

SwsRegistration *
sws_registrar_find_contact (SwsRegistrar *self,
                            const char   *contact)
{
  g_autofree char *key = contact_key (contact);

  return key ? g_hash_table_lookup (self->contacts, key) : NULL;
}

GPtrArray *
sws_registrar_lookup (SwsRegistrar *self,
                      const char   *aor)
{
  SwsAor *entry = find_aor (self, aor);

  return entry ? entry->bindings : NULL;
}

guint
sws_registrar_get_count (SwsRegistrar *self)
{
  return self->count;
}

guint
sws_registrar_get_aor_count (SwsRegistrar *self)
{
  GHashTableIter iter;
  SwsAor *aor;
  guint n = 0;

  g_hash_table_iter_init (&iter, self->aors);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &aor))
    if (aor->bindings->len > 0)
      n++;
  return n;
}

GPtrArray *
sws_registrar_list (SwsRegistrar *self)
{
  GPtrArray *all = g_ptr_array_new_full (self->count, g_object_unref);
  GHashTableIter iter;
  SwsAor *aor;

  g_hash_table_iter_init (&iter, self->aors);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &aor))
    for (guint i = 0; i < aor->bindings->len; i++)
      g_ptr_array_add (all, g_object_ref (aor->bindings->pdata[i]));
  return all;
}

/* ---- responses ---------------------------------------------------------- */

static GBytes *
reply_error (SwsSipMessage *request,
             GError        *error)
{
  guint status = error->domain == SWS_SIP_ERROR ? (guint) error->code : 500;

  g_debug ("REGISTER %.*s rejected: %u %s", (int) request->call_id.len,
           request->call_id.p, status, error->message);
  return sws_sip_response_simple (request, status, error->message, NULL);
}

static void
append_contact (GString         *s,
                SwsRegistration *reg,
                gint64           now_real)
{
  const char *instance = sws_registration_get_instance_id (reg);
  guint q = sws_registration_get_q (reg);

  g_string_append (s, "Contact: <");
  g_string_append (s, sws_registration_get_contact (reg));
  g_string_append (s, ">;expires=");
  g_string_append_printf (s, "%u", sws_registration_get_expires_in (reg, now_real));
  if (q != 1000)
    g_string_append_printf (s, ";q=%u.%03u", q / 1000, q % 1000);
  if (*instance != '\0')
    {
      g_string_append (s, ";+sip.instance=");
      g_string_append (s, instance);
      if (sws_registration_get_reg_id (reg) != 0)
        g_string_append_printf (s, ";reg-id=%u", sws_registration_get_reg_id (reg));
    }
  g_string_append (s, "\r\n");
}

static GBytes *
reply_bindings (SwsRegistrar  *self,
                SwsSipMessage *request,
                const char    *aor_key)
{
  SwsAor *aor = find_aor (self, aor_key);
  gint64 now = g_get_real_time ();
  char tag[17];
  GString *s;

  sws_sip_make_tag (tag);
  s = sws_sip_response_begin (request, 200, "OK", tag);
  if (aor != NULL)
    for (guint i = 0; i < aor->bindings->len; i++)
      append_contact (s, aor->bindings->pdata[i], now);
  g_string_append (s, "Date: ");
  sws_sip_append_date (s, now / G_USEC_PER_SEC);
  g_string_append (s, "\r\nServer: sipws/" PACKAGE_VERSION "\r\n");
  return sws_sip_message_end (s, NULL, NULL, 0);
}

/* ---- request checks ----------------------------------------------------- */

/* q-value: "0", "1", "0.5", "0.125", "1.000" (RFC 3261 §20.10) */
static gboolean
parse_q (SwsStr value, guint *out)
{
  guint q = 0, digits = 0;
  gsize i = 1;

  if (value.len == 0 || (value.p[0] != '0' && value.p[0] != '1'))
    return FALSE;
  q = (guint) (value.p[0] - '0') * 1000;
  if (value.len > 1)
    {
      if (value.p[1] != '.' || value.len > 5)
        return FALSE;
      for (i = 2; i < value.len; i++)
        {
          if (!g_ascii_isdigit (value.p[i]))
            return FALSE;
          q += (guint) (value.p[i] - '0') * (digits == 0 ? 100 : digits == 1 ? 10 : 1);
          digits++;
        }
    }
  if (q > 1000)
    return FALSE;
  *out = q;
  return TRUE;
}

static gboolean
find_existing (SwsAor        *aor,
               ContactUpdate *cu)
{
  if (aor == NULL)
    return FALSE;

  for (guint i = 0; i < aor->bindings->len; i++)
    {
      SwsRegistration *reg = aor->bindings->pdata[i];
      const char *instance = sws_registration_get_instance_id (reg);

      /* RFC 5626 §6: instance and reg-id name the binding, whatever the
       * Contact URI says now. */
      if (SWS_STR_IS_SET (cu->instance) && cu->reg_id != 0)
        {
          if (sws_registration_get_reg_id (reg) == cu->reg_id &&
              sws_str_equal (sws_str_c (instance), cu->instance))
            {
              cu->existing = reg;
              return TRUE;
            }
          continue;
        }
      if (sws_str_equal (sws_str_c (sws_registration_get_contact (reg)), cu->na.uri_text))
        {
          cu->existing = reg;
          return TRUE;
        }
    }
  return FALSE;
}

/* §10.3 step 7: a request older than what the binding saw is refused. */
static gboolean
check_order (SwsRegistration *reg,
             SwsSipMessage   *request,
             GError         **error)
{
  const char *call_id = sws_registration_get_call_id (reg);

  if (sws_str_equal (sws_str_c (call_id), request->call_id) &&
      request->cseq <= sws_registration_get_cseq (reg))
    {
      g_set_error_literal (error, SWS_SIP_ERROR, 400, "Out of Order CSeq");
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_contact (SwsRegistrar  *self,
               SwsStr         value,
               gboolean       have_expires_header,
               guint64        expires_header,
               ContactUpdate *cu,
               GError       **error)
{
  SwsStr v;
  guint64 expires;

  if (!sws_name_addr_parse (value, TRUE, &cu->na, error))
    return FALSE;
  if (cu->na.star)
    return TRUE;

  if (cu->na.uri.scheme != SWS_URI_SCHEME_SIP && cu->na.uri.scheme != SWS_URI_SCHEME_SIPS)
    {
      g_set_error_literal (error, SWS_SIP_ERROR, 416, "Unsupported URI Scheme in Contact");
      return FALSE;
    }
  /* RFC 4475 §3.3.14: headers in a bound Contact could inject a Route
   * into requests we send to it. */
  if (SWS_STR_IS_SET (cu->na.uri.headers))
    {
      g_set_error_literal (error, SWS_SIP_ERROR, 400, "Contact URI Must Not Carry Headers");
      return FALSE;
    }

  if (sws_params_get (cu->na.params, "expires", &v))
    {
      if (!sws_str_to_uint64 (v, G_MAXUINT32, &expires))
        {
          g_set_error_literal (error, SWS_SIP_ERROR, 400, "Malformed Contact expires");
          return FALSE;
        }
    }
  else if (have_expires_header)
    expires = expires_header;
  else
    expires = sws_config_get_default_expires (self->config);

  if (expires != 0 && expires < sws_config_get_min_expires (self->config))
    {
      g_set_error_literal (error, SWS_SIP_ERROR, 423, "Interval Too Brief");
      return FALSE;
    }
  cu->expires = (guint) MIN (expires, (guint64) sws_config_get_max_expires (self->config));

  cu->q = 1000;
  if (sws_params_get (cu->na.params, "q", &v) && !parse_q (v, &cu->q))
    {
      g_set_error_literal (error, SWS_SIP_ERROR, 400, "Malformed Contact q-value");
      return FALSE;
    }

  cu->instance = SWS_STR_NULL;
  cu->reg_id = 0;
  if (sws_params_get (cu->na.params, "+sip.instance", &v) && v.len > 0)
    cu->instance = v;
  if (sws_params_get (cu->na.params, "reg-id", &v))
    {
      guint64 reg_id;

      if (!sws_str_to_uint64 (v, G_MAXUINT32, &reg_id) || reg_id == 0)
        {
          g_set_error_literal (error, SWS_SIP_ERROR, 400, "Malformed Contact reg-id");
          return FALSE;
        }
      cu->reg_id = (guint) reg_id;
    }
  return TRUE;
}

/* ---- applying ----------------------------------------------------------- */

static void
schedule (SwsRegistrar    *self,
          SwsRegistration *reg,
          guint            expires)
{
  sws_timer_heap_schedule (self->timers, sws_registration_get_timer (reg),
                           g_get_monotonic_time () + (gint64) expires * G_USEC_PER_SEC);
}

static void
on_aor_forgotten (SwsTimer *timer,
                  gpointer  user_data)
{
  SwsRegistrar *self = user_data;
  SwsAor *aor = (SwsAor *) ((char *) timer - G_STRUCT_OFFSET (SwsAor, forget));

  g_hash_table_remove (self->aors, aor->aor);
}

static SwsAor *
ensure_aor (SwsRegistrar *self,
            const char   *key)
{
  SwsAor *aor = find_aor (self, key);

  if (aor == NULL)
    {
      aor = g_new0 (SwsAor, 1);
      aor->aor = g_strdup (key);
      aor->bindings = g_ptr_array_new_with_free_func (g_object_unref);
      aor->timers = self->timers;
      sws_timer_init (&aor->forget, on_aor_forgotten, self);
      g_hash_table_insert (self->aors, aor->aor, aor);
    }
  sws_timer_heap_cancel (self->timers, &aor->forget);
  return aor;
}

static void
index_contact (SwsRegistrar    *self,
               SwsRegistration *reg)
{
  char *key = contact_key (sws_registration_get_contact (reg));

  if (key != NULL)
    g_hash_table_replace (self->contacts, key, reg);
}

static void
add_binding (SwsRegistrar  *self,
             const char    *key,
             ContactUpdate *cu,
             SwsSipMessage *request,
             SwsConnection *connection,
             SwsStr         user_agent,
             gint64         now_real)
{
  SwsAor *aor = ensure_aor (self, key);
  SwsRegistration *reg;

  reg = sws_registration_new (key, cu->na.uri_text, cu->instance, cu->reg_id, connection);
  sws_registration_update (reg, request->call_id, request->cseq,
                           now_real + (gint64) cu->expires * G_USEC_PER_SEC, cu->q, user_agent);
  sws_timer_init (sws_registration_get_timer (reg), on_binding_expired, self);
  g_ptr_array_add (aor->bindings, reg);
  index_contact (self, reg);
  self->count++;
  if (connection != NULL)
    sws_connection_add_binding (connection, reg);
  schedule (self, reg, cu->expires);

  g_debug ("%s: binding %s added for %u s", key, sws_registration_get_contact (reg), cu->expires);
  g_signal_emit (self, signals[SIGNAL_REGISTRATION_ADDED], 0, reg);
}

static void
refresh_binding (SwsRegistrar    *self,
                 SwsRegistration *reg,
                 ContactUpdate   *cu,
                 SwsSipMessage   *request,
                 SwsConnection   *connection,
                 SwsStr           user_agent,
                 gint64           now_real)
{
  SwsConnection *old = sws_registration_get_connection (reg);

  /* Same Contact URI from another flow: the UA reconnected. */
  if (old != connection)
    {
      if (old != NULL)
        sws_connection_remove_binding (old, reg);
      sws_registration_set_connection (reg, connection);
      if (connection != NULL)
        sws_connection_add_binding (connection, reg);
    }
  sws_registration_update (reg, request->call_id, request->cseq,
                           now_real + (gint64) cu->expires * G_USEC_PER_SEC, cu->q, user_agent);
  schedule (self, reg, cu->expires);
}

static GBytes *
remove_all_for (SwsRegistrar  *self,
                const char    *key,
                SwsSipMessage *request)
{
  SwsAor *aor = find_aor (self, key);
  g_autoptr(GError) error = NULL;

  if (aor != NULL)
    {
      g_autoptr(GPtrArray) doomed = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < aor->bindings->len; i++)
        g_ptr_array_add (doomed, g_object_ref (aor->bindings->pdata[i]));
      for (guint i = 0; i < doomed->len; i++)
        if (!check_order (doomed->pdata[i], request, &error))
          return reply_error (request, error);
      for (guint i = 0; i < doomed->len; i++)
        sws_registrar_remove (self, doomed->pdata[i], SWS_REMOVED_UNREGISTERED);
    }
  return reply_bindings (self, request, key);
}

GBytes *
sws_registrar_handle_register (SwsRegistrar  *self,
                               SwsSipMessage *request,
                               SwsConnection *connection)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  ContactUpdate updates[MAX_CONTACTS_PER_REQUEST];
  guint n_updates = 0, n_new = 0;
  gboolean have_expires, star = FALSE;
  guint64 expires_header = 0;
  const SwsHeader *ua;
  SwsValueIter iter;
  SwsStr value, user_agent = SWS_STR_NULL;
  SwsAor *aor;
  gint64 now_real;

  g_return_val_if_fail (SWS_IS_REGISTRAR (self), NULL);
  g_return_val_if_fail (request->is_request && request->method == SWS_METHOD_REGISTER, NULL);

  /* §10.3 step 5: the AOR is the To URI; it must be one we can route. */
  if (request->to.uri.scheme != SWS_URI_SCHEME_SIP && request->to.uri.scheme != SWS_URI_SCHEME_SIPS)
    return sws_sip_response_simple (request, 416, "Unsupported URI Scheme in To", NULL);
  if (!SWS_STR_IS_SET (request->to.uri.user))
    return sws_sip_response_simple (request, 400, "To URI Has No User Part", NULL);
  if (!sws_config_serves_domain (self->config, request->to.uri.host.p, request->to.uri.host.len))
    return sws_sip_response_simple (request, 403, "Domain Not Served Here", NULL);

  key = sws_uri_to_aor (&request->to.uri);
  if (!sws_sip_message_get_uint (request, SWS_HDR_EXPIRES, G_MAXUINT32,
                                 &have_expires, &expires_header, &error))
    return reply_error (request, error);

  sws_value_iter_init (&iter, request, SWS_HDR_CONTACT);
  while (sws_value_iter_next (&iter, &value))
    {
      ContactUpdate *cu;

      if (n_updates == MAX_CONTACTS_PER_REQUEST)
        return sws_sip_response_simple (request, 403, "Too Many Contacts", NULL);
      cu = &updates[n_updates++];
      memset (cu, 0, sizeof *cu);
      if (!parse_contact (self, value, have_expires, expires_header, cu, &error))
        {
          if (error->code == 423)
            {
              g_autofree char *min = g_strdup_printf ("Min-Expires: %u\r\n",
                                                      sws_config_get_min_expires (self->config));
              return sws_sip_response_simple (request, 423, error->message, min);
            }
          return reply_error (request, error);
        }
      star |= cu->na.star;
    }

  /* §10.3 step 6: "*" only alone and only with Expires: 0. */
  if (star)
    {
      if (n_updates != 1 || !have_expires || expires_header != 0)
        return sws_sip_response_simple (request, 400, "Invalid Contact: * Usage", NULL);
      return remove_all_for (self, key, request);
    }

  /* No Contact: a query for the current bindings (§10.2.3). */
  if (n_updates == 0)
    return reply_bindings (self, request, key);

  aor = find_aor (self, key);
  for (guint i = 0; i < n_updates; i++)
    {
      if (find_existing (aor, &updates[i]))
        {
          if (!check_order (updates[i].existing, request, &error))
            return reply_error (request, error);
        }
      else if (updates[i].expires != 0)
        n_new++;
    }
  if ((aor ? aor->bindings->len : 0) + n_new > sws_config_get_max_contacts (self->config))
    return sws_sip_response_simple (request, 403, "Too Many Registered Contacts", NULL);

  ua = sws_sip_message_find (request, SWS_HDR_USER_AGENT);
  if (ua != NULL)
    user_agent = ua->value;

  now_real = g_get_real_time ();
  for (guint i = 0; i < n_updates; i++)
    {
      ContactUpdate *cu = &updates[i];

      /* §10.3 step 7 takes the Contacts in order: look the binding up
       * again rather than trust the check above, for an earlier Contact
       * of this request may have removed it (freed) or added it (the
       * same URI, or instance and reg-id, listed twice). */
      cu->existing = NULL;
      find_existing (find_aor (self, key), cu);
      if (cu->existing != NULL)
        {
          gboolean by_instance = SWS_STR_IS_SET (cu->instance) && cu->reg_id != 0;
          gboolean moved_instance =
            by_instance &&
            (sws_registration_get_connection (cu->existing) != connection ||
             !sws_str_equal (sws_str_c (sws_registration_get_contact (cu->existing)),
                             cu->na.uri_text));

          if (cu->expires == 0)
            sws_registrar_remove (self, cu->existing, SWS_REMOVED_UNREGISTERED);
          else if (moved_instance)
            {
              /* RFC 5626 §6 step 7: a new flow for the same instance and
               * reg-id replaces the old binding. */
              sws_registrar_remove (self, cu->existing, SWS_REMOVED_REPLACED);
              add_binding (self, key, cu, request, connection, user_agent, now_real);
            }
          else
            refresh_binding (self, cu->existing, cu, request, connection, user_agent, now_real);
        }
      else if (cu->expires != 0)
        add_binding (self, key, cu, request, connection, user_agent, now_real);
    }

  return reply_bindings (self, request, key);
}
