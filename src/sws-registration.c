/* sws-registration.c: one contact binding of an address-of-record
 *
 * The registrar owns the bindings and changes them; this object is what
 * the rest of the daemon (proxy, D-Bus bridge, HTTP API) reads. Its
 * properties are read-only from outside.
 */

#define G_LOG_DOMAIN "sws-registration"

#include "config.h"

#include "sws-registration.h"

struct _SwsRegistration
{
  GObject parent_instance;

  guint64 id;
  gboolean removed;
  char *aor;
  char *contact;
  char *instance_id;
  guint reg_id;
  gint64 registered_at;
  gint64 expires;
  char *call_id;
  guint32 cseq;
  guint q;
  char *user_agent;
  SwsConnection *connection;   /* the flow it was learned on (RFC 7118 §5) */
  SwsTimer timer;
};

G_DEFINE_FINAL_TYPE (SwsRegistration, sws_registration, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_AOR,
  PROP_CONTACT,
  PROP_INSTANCE_ID,
  PROP_REG_ID,
  PROP_REGISTERED_AT,
  PROP_EXPIRES,
  PROP_CALL_ID,
  PROP_CSEQ,
  PROP_Q,
  PROP_USER_AGENT,
  PROP_REMOTE_ADDRESS,
  PROP_TRANSPORT,
  N_PROPS
};

enum {
  SIGNAL_REMOVED,
  N_SIGNALS
};

static GParamSpec *props[N_PROPS];
static guint signals[N_SIGNALS];

static void
sws_registration_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SwsRegistration *self = SWS_REGISTRATION (object);

  switch (prop_id)
    {
    case PROP_AOR:
      g_value_set_string (value, self->aor);
      break;
    case PROP_CONTACT:
      g_value_set_string (value, self->contact);
      break;
    case PROP_INSTANCE_ID:
      g_value_set_string (value, self->instance_id);
      break;
    case PROP_REG_ID:
      g_value_set_uint (value, self->reg_id);
      break;
    case PROP_REGISTERED_AT:
      g_value_set_uint64 (value, self->registered_at);
      break;
    case PROP_EXPIRES:
      g_value_set_uint64 (value, self->expires);
      break;
    case PROP_CALL_ID:
      g_value_set_string (value, self->call_id);
      break;
    case PROP_CSEQ:
      g_value_set_uint (value, self->cseq);
      break;
    case PROP_Q:
      g_value_set_double (value, self->q / 1000.0);
      break;
    case PROP_USER_AGENT:
      g_value_set_string (value, self->user_agent);
      break;
    case PROP_REMOTE_ADDRESS:
      g_value_set_string (value, sws_registration_get_remote_address (self));
      break;
    case PROP_TRANSPORT:
      g_value_set_string (value, sws_registration_get_transport (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sws_registration_finalize (GObject *object)
{
  SwsRegistration *self = SWS_REGISTRATION (object);

  g_warn_if_fail (!sws_timer_is_scheduled (&self->timer));
  g_free (self->aor);
  g_free (self->contact);
  g_free (self->instance_id);
  g_free (self->call_id);
  g_free (self->user_agent);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (sws_registration_parent_class)->finalize (object);
}

static void
sws_registration_class_init (SwsRegistrationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->get_property = sws_registration_get_property;
  object_class->finalize = sws_registration_finalize;

  props[PROP_AOR] = g_param_spec_string ("aor", NULL, NULL, NULL, ro);
  props[PROP_CONTACT] = g_param_spec_string ("contact", NULL, NULL, NULL, ro);
  props[PROP_INSTANCE_ID] = g_param_spec_string ("instance-id", NULL, NULL, NULL, ro);
  props[PROP_REG_ID] = g_param_spec_uint ("reg-id", NULL, NULL, 0, G_MAXUINT, 0, ro);
  props[PROP_REGISTERED_AT] =
    g_param_spec_uint64 ("registered-at", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  props[PROP_EXPIRES] = g_param_spec_uint64 ("expires", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  props[PROP_CALL_ID] = g_param_spec_string ("call-id", NULL, NULL, NULL, ro);
  props[PROP_CSEQ] = g_param_spec_uint ("cseq", NULL, NULL, 0, G_MAXUINT32, 0, ro);
  props[PROP_Q] = g_param_spec_double ("q", NULL, NULL, 0.0, 1.0, 1.0, ro);
  props[PROP_USER_AGENT] = g_param_spec_string ("user-agent", NULL, NULL, NULL, ro);
  props[PROP_REMOTE_ADDRESS] = g_param_spec_string ("remote-address", NULL, NULL, NULL, ro);
  props[PROP_TRANSPORT] = g_param_spec_string ("transport", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, props);

  /**
   * SwsRegistration::removed:
   * @reason: a #SwsRemovedReason
   *
   * The binding is gone from the registrar.
   */
  signals[SIGNAL_REMOVED] =
    g_signal_new ("removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

/* Ids number bindings for the D-Bus paths and the HTTP API alike, so
 * both name a binding the same way; never reused while the process runs. */
static guint64 next_id = 1;

static void
sws_registration_init (SwsRegistration *self)
{
  self->q = 1000;
}

SwsRegistration *
sws_registration_new (const char    *aor,
                      SwsStr         contact,
                      SwsStr         instance_id,
                      guint          reg_id,
                      SwsConnection *connection)
{
  SwsRegistration *self = g_object_new (SWS_TYPE_REGISTRATION, NULL);

  self->id = next_id++;
  self->aor = g_strdup (aor);
  self->contact = sws_str_dup (contact);
  self->instance_id = SWS_STR_IS_SET (instance_id) ? sws_str_dup (instance_id) : g_strdup ("");
  self->reg_id = reg_id;
  self->registered_at = g_get_real_time ();
  self->call_id = g_strdup ("");
  self->user_agent = g_strdup ("");
  g_set_object (&self->connection, connection);
  return self;
}

guint64
sws_registration_get_id (SwsRegistration *self)
{
  return self->id;
}

gboolean
sws_registration_is_removed (SwsRegistration *self)
{
  return self->removed;
}

const char *
sws_registration_get_aor (SwsRegistration *self)
{
  return self->aor;
}

const char *
sws_registration_get_contact (SwsRegistration *self)
{
  return self->contact;
}

const char *
sws_registration_get_instance_id (SwsRegistration *self)
{
  return self->instance_id;
}

guint
sws_registration_get_reg_id (SwsRegistration *self)
{
  return self->reg_id;
}

gint64
sws_registration_get_registered_at (SwsRegistration *self)
{
  return self->registered_at;
}

gint64
sws_registration_get_expires (SwsRegistration *self)
{
  return self->expires;
}

guint
sws_registration_get_expires_in (SwsRegistration *self,
                                 gint64           now_real)
{
  gint64 left = self->expires - now_real;

  if (left <= 0)
    return 0;
  return (guint) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

const char *
sws_registration_get_call_id (SwsRegistration *self)
{
  return self->call_id;
}

guint32
sws_registration_get_cseq (SwsRegistration *self)
{
  return self->cseq;
}

guint
sws_registration_get_q (SwsRegistration *self)
{
  return self->q;
}

const char *
sws_registration_get_user_agent (SwsRegistration *self)
{
  return self->user_agent;
}

const char *
sws_registration_get_remote_address (SwsRegistration *self)
{
  return self->connection ? sws_connection_get_remote_address (self->connection) : "";
}

const char *
sws_registration_get_transport (SwsRegistration *self)
{
  return self->connection ? sws_connection_get_transport (self->connection) : "";
}

SwsConnection *
sws_registration_get_connection (SwsRegistration *self)
{
  return self->connection;
}

SwsTimer *
sws_registration_get_timer (SwsRegistration *self)
{
  return &self->timer;
}

SwsRegistration *
sws_registration_from_timer (SwsTimer *timer)
{
  return (SwsRegistration *) ((char *) timer - G_STRUCT_OFFSET (SwsRegistration, timer));
}

/* Replace a string only when it changed: refreshes usually repeat it. */
static void
set_str (char **field, SwsStr value)
{
  if (!SWS_STR_IS_SET (value))
    value = sws_str ("", 0);
  if (strlen (*field) == value.len && memcmp (*field, value.p, value.len) == 0)
    return;
  g_free (*field);
  *field = sws_str_dup (value);
}

void
sws_registration_update (SwsRegistration *self,
                         SwsStr           call_id,
                         guint32          cseq,
                         gint64           expires_real,
                         guint            q,
                         SwsStr           user_agent)
{
  set_str (&self->call_id, call_id);
  set_str (&self->user_agent, user_agent);
  self->cseq = cseq;
  self->expires = expires_real;
  self->q = q;
}

void
sws_registration_set_connection (SwsRegistration *self,
                                 SwsConnection   *connection)
{
  g_set_object (&self->connection, connection);
}

void
sws_registration_emit_removed (SwsRegistration  *self,
                               SwsRemovedReason  reason)
{
  self->removed = TRUE;
  g_signal_emit (self, signals[SIGNAL_REMOVED], 0, (guint) reason);
}
