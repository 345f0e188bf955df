/* sipwsctl.c: look at and act on a running sipwsd over D-Bus
 *
 * A client of the daemon's D-Bus API and nothing else: the object manager
 * client (generated from data/org.sipws.Server1.xml) holds every
 * Registration and Call with its properties, a Manager proxy the server's.
 * Text output is for people, --json (through sws-json.c) for scripts.
 */

#define G_LOG_DOMAIN "sipwsctl"

#include "config.h"

#include <locale.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "sws-ctl-monitor.h"
#include "sws-ctl-output.h"
#include "sws-ctl-passwd.h"
#include "sws-dbus-generated.h"
#include "sws-json.h"

#define BUS_NAME "org.sipws.Server1"
#define ROOT "/org/sipws/Server1"
#define REGISTRATION_IFACE "org.sipws.Server1.Registration"
#define CALL_IFACE "org.sipws.Server1.Call"

/* Every method call: never start the daemon, never wait for ever. */
#define CALL_FLAGS G_DBUS_CALL_FLAGS_NO_AUTO_START
#define CALL_TIMEOUT_MS 10000

/* SPEC: 0 success, 1 a D-Bus error or no daemon, 2 bad usage. */
enum {
  EXIT_OK = 0,
  EXIT_DBUS = 1,
  EXIT_USAGE = 2,
};

typedef struct
{
  GDBusObjectManager *objects;   /* every Registration and Call */
  SwsDBusManager *manager;       /* the root object's Manager */
  gboolean json;
} Ctl;

typedef struct
{
  const char *name;
  const char *argument;          /* NULL when the command takes none */
  const char *help;
  int (*run) (Ctl *ctl, const char *argument);
} Command;

static int
fail (GError *error)
{
  /* "GDBus.Error:org.sipws.Server1.Error.NotFound: …" says nothing a
   * user needs beyond the message. */
  g_dbus_error_strip_remote_error (error);
  g_printerr ("sipwsctl: %s\n", error->message);
  return EXIT_DBUS;
}

/* ---- reading ------------------------------------------------------------ */

static gint
by_number (gconstpointer a,
           gconstpointer b)
{
  guint na = sws_ctl_object_number (g_dbus_proxy_get_object_path (*(GDBusProxy **) a));
  guint nb = sws_ctl_object_number (g_dbus_proxy_get_object_path (*(GDBusProxy **) b));

  return na < nb ? -1 : na > nb;
}

/* The proxies of `interface` on every object, sorted by N. */
static GPtrArray *
proxies_of (Ctl        *ctl,
            const char *interface)
{
  GPtrArray *list = g_ptr_array_new_with_free_func (g_object_unref);
  GList *objects = g_dbus_object_manager_get_objects (ctl->objects);

  for (GList *l = objects; l != NULL; l = l->next)
    {
      GDBusInterface *iface = g_dbus_object_get_interface (l->data, interface);

      if (iface != NULL)
        g_ptr_array_add (list, iface);
    }
  g_list_free_full (objects, g_object_unref);
  g_ptr_array_sort (list, by_number);
  return list;
}

static void
print_json_list (GPtrArray *proxies)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
  JsonArray *array = json_array_sized_new (proxies->len);

  for (guint i = 0; i < proxies->len; i++)
    json_array_add_element (array, sws_ctl_proxy_to_json (proxies->pdata[i]));
  json_node_take_array (node, array);
  sws_ctl_print_json (node, TRUE);
}

static char *
number_text (GDBusProxy *proxy)
{
  return g_strdup_printf ("%u", sws_ctl_object_number (g_dbus_proxy_get_object_path (proxy)));
}

static void
print_registrations (GPtrArray *proxies)
{
  g_autoptr(SwsCtlTable) table = sws_ctl_table_new (6);
  gint64 now = g_get_real_time ();

  if (proxies->len == 0)
    {
      g_print ("%s\n", _("No registrations."));
      return;
    }
  sws_ctl_table_add (table, _("N"), _("AOR"), _("CONTACT"), _("REMOTE ADDRESS"),
                     _("EXPIRES IN"), _("USER AGENT"));
  for (guint i = 0; i < proxies->len; i++)
    {
      SwsDBusRegistration *reg = proxies->pdata[i];
      g_autofree char *n = number_text (proxies->pdata[i]);
      /* Expires is absolute (µs since the epoch); people want "how long". */
      gint64 left = ((gint64) sws_dbus_registration_get_expires (reg) - now) / G_USEC_PER_SEC;
      g_autofree char *expires = g_strdup_printf ("%" G_GINT64_FORMAT "s", MAX (left, 0));

      sws_ctl_table_add (table, n, sws_dbus_registration_get_aor (reg),
                         sws_dbus_registration_get_contact (reg),
                         sws_dbus_registration_get_remote_address (reg), expires,
                         sws_dbus_registration_get_user_agent (reg));
    }
  sws_ctl_table_print (table);
}

static void
print_calls (GPtrArray *proxies)
{
  g_autoptr(SwsCtlTable) table = sws_ctl_table_new (6);
  gint64 now = g_get_real_time ();

  if (proxies->len == 0)
    {
      g_print ("%s\n", _("No calls."));
      return;
    }
  sws_ctl_table_add (table, _("N"), _("STATE"), _("CALLER"), _("CALLEE"), _("DURATION"),
                     _("CODE"));
  for (guint i = 0; i < proxies->len; i++)
    {
      SwsDBusCall *call = proxies->pdata[i];
      g_autofree char *n = number_text (proxies->pdata[i]);
      gint64 answered = (gint64) sws_dbus_call_get_answer_time (call);
      gint64 ended = (gint64) sws_dbus_call_get_end_time (call);
      guint code = sws_dbus_call_get_termination_code (call);
      g_autofree char *duration = NULL;
      g_autofree char *code_text = NULL;

      /* Talk time: from the answer to the end, or to now while it lasts. */
      if (answered != 0)
        duration = sws_ctl_format_duration (((ended != 0 ? ended : now) - answered) /
                                            G_USEC_PER_SEC);
      if (code != 0)
        code_text = g_strdup_printf ("%u", code);
      sws_ctl_table_add (table, n, sws_json_call_state_name (sws_dbus_call_get_state (call)),
                         sws_dbus_call_get_caller (call), sws_dbus_call_get_callee (call),
                         duration, code_text);
    }
  sws_ctl_table_print (table);
}

/* ---- commands ----------------------------------------------------------- */

static char *
count_text (guint64 n)
{
  return g_strdup_printf ("%" G_GUINT64_FORMAT, n);
}

static void
print_status (SwsDBusManager *manager)
{
  const char * const *listen = sws_dbus_manager_get_listen_uris (manager);
  const char * const *domains = sws_dbus_manager_get_domains (manager);
  gint64 started = (gint64) sws_dbus_manager_get_start_time (manager);
  g_autoptr(SwsCtlTable) table = sws_ctl_table_new (2);
  g_autofree char *listen_text = listen ? g_strjoinv (" ", (char **) listen) : NULL;
  g_autofree char *domains_text = NULL;
  g_autofree char *uptime = sws_ctl_format_duration ((g_get_real_time () - started) /
                                                     G_USEC_PER_SEC);
  g_autofree char *connections = count_text (sws_dbus_manager_get_connection_count (manager));
  g_autofree char *registrations = count_text (sws_dbus_manager_get_registration_count (manager));
  g_autofree char *calls = count_text (sws_dbus_manager_get_call_count (manager));
  g_autofree char *received = count_text (sws_dbus_manager_get_messages_received (manager));
  g_autofree char *sent = count_text (sws_dbus_manager_get_messages_sent (manager));
  g_autofree char *malformed = count_text (sws_dbus_manager_get_parse_errors (manager));
  g_autofree char *messages = NULL;

  /* No domains configured means every domain is served. */
  domains_text = domains && domains[0] ? g_strjoinv (" ", (char **) domains)
                                       : g_strdup (_("every domain"));
  /* The numbers go in as strings: G_GUINT64_FORMAT cannot be part of a
   * translatable string. */
  messages = g_strdup_printf (_("%s received, %s sent, %s malformed"), received, sent, malformed);

  sws_ctl_table_add (table, _("Version:"), sws_dbus_manager_get_version (manager));
  sws_ctl_table_add (table, _("Uptime:"), uptime);
  sws_ctl_table_add (table, _("Listening on:"), listen_text);
  sws_ctl_table_add (table, _("Domains:"), domains_text);
  sws_ctl_table_add (table, _("Log level:"), sws_dbus_manager_get_log_level (manager));
  sws_ctl_table_add (table, _("Connections:"), connections);
  sws_ctl_table_add (table, _("Registrations:"), registrations);
  sws_ctl_table_add (table, _("Calls:"), calls);
  sws_ctl_table_add (table, _("Messages:"), messages);
  sws_ctl_table_print (table);
}

static int
cmd_status (Ctl        *ctl,
            const char *argument)
{
  /* GDBusProxy ignores a failed GetAll: an empty cache means the daemon
   * went away between our calls. */
  if (sws_dbus_manager_get_version (ctl->manager) == NULL)
    {
      g_printerr ("sipwsctl: %s\n", _("cannot read the properties of sipwsd"));
      return EXIT_DBUS;
    }
  if (ctl->json)
    {
      g_autoptr(GVariant) props = sws_ctl_proxy_properties (G_DBUS_PROXY (ctl->manager));
      g_autoptr(JsonNode) node = sws_json_object_from_properties (ROOT, props);

      sws_ctl_print_json (node, TRUE);
    }
  else
    print_status (ctl->manager);
  return EXIT_OK;
}

static int
cmd_registrations (Ctl        *ctl,
                   const char *argument)
{
  g_autoptr(GPtrArray) proxies = proxies_of (ctl, REGISTRATION_IFACE);

  if (ctl->json)
    print_json_list (proxies);
  else
    print_registrations (proxies);
  return EXIT_OK;
}

static int
cmd_calls (Ctl        *ctl,
           const char *argument)
{
  g_autoptr(GPtrArray) proxies = proxies_of (ctl, CALL_IFACE);

  if (ctl->json)
    print_json_list (proxies);
  else
    print_calls (proxies);
  return EXIT_OK;
}

static int
cmd_lookup (Ctl        *ctl,
            const char *aor)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) paths = NULL;
  g_autoptr(GPtrArray) proxies = g_ptr_array_new_with_free_func (g_object_unref);

  if (!sws_dbus_manager_call_lookup_aor_sync (ctl->manager, aor, CALL_FLAGS, CALL_TIMEOUT_MS,
                                              &paths, NULL, &error))
    return fail (error);
  for (guint i = 0; paths[i] != NULL; i++)
    {
      GDBusInterface *iface = g_dbus_object_manager_get_interface (ctl->objects, paths[i],
                                                                   REGISTRATION_IFACE);

      /* A binding made after we read the tree is still news to us. */
      if (iface != NULL)
        g_ptr_array_add (proxies, iface);
    }
  g_ptr_array_sort (proxies, by_number);
  if (ctl->json)
    print_json_list (proxies);
  else
    print_registrations (proxies);
  return EXIT_OK;
}

/* "3" or "/org/sipws/Server1/Call/3" to the object path; NULL when it is
 * neither. */
static char *
object_path_for (const char *kind,
                 const char *argument)
{
  guint64 n;

  if (g_variant_is_object_path (argument) && g_str_has_prefix (argument, ROOT "/"))
    return g_strdup (argument);
  if (g_ascii_string_to_unsigned (argument, 10, 1, G_MAXUINT32, &n, NULL))
    return g_strdup_printf (ROOT "/%s/%" G_GUINT64_FORMAT, kind, n);
  return NULL;
}

/* The proxy of `interface` at the object that `argument` names, or NULL
 * after saying what is wrong; `status` is then the exit status. */
static GDBusInterface *
find_object (Ctl        *ctl,
             const char *kind,
             const char *interface,
             const char *argument,
             int        *status)
{
  g_autofree char *path = object_path_for (kind, argument);
  GDBusInterface *iface;

  if (path == NULL)
    {
      if (g_str_equal (kind, "Call"))
        g_printerr (_("sipwsctl: “%s” is not a call: give its number or object path\n"),
                    argument);
      else
        g_printerr (_("sipwsctl: “%s” is not a registration: give its number or object "
                      "path\n"), argument);
      *status = EXIT_USAGE;
      return NULL;
    }
  iface = g_dbus_object_manager_get_interface (ctl->objects, path, interface);
  if (iface == NULL)
    {
      if (g_str_equal (kind, "Call"))
        g_printerr (_("sipwsctl: there is no call %s\n"), argument);
      else
        g_printerr (_("sipwsctl: there is no registration %s\n"), argument);
      *status = EXIT_DBUS;
    }
  return iface;
}

static int
cmd_hangup (Ctl        *ctl,
            const char *argument)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusInterface) call = NULL;
  int status = EXIT_OK;

  call = find_object (ctl, "Call", CALL_IFACE, argument, &status);
  if (call == NULL)
    return status;
  if (!sws_dbus_call_call_hangup_sync (SWS_DBUS_CALL (call), CALL_FLAGS, CALL_TIMEOUT_MS,
                                       NULL, &error))
    return fail (error);
  return EXIT_OK;
}

static int
cmd_remove (Ctl        *ctl,
            const char *argument)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusInterface) reg = NULL;
  int status = EXIT_OK;

  reg = find_object (ctl, "Registration", REGISTRATION_IFACE, argument, &status);
  if (reg == NULL)
    return status;
  if (!sws_dbus_registration_call_remove_sync (SWS_DBUS_REGISTRATION (reg), CALL_FLAGS,
                                               CALL_TIMEOUT_MS, NULL, &error))
    return fail (error);
  return EXIT_OK;
}

static int
cmd_monitor (Ctl        *ctl,
             const char *argument)
{
  return sws_ctl_monitor (ctl->objects, ctl->json);
}

static int
cmd_reload (Ctl        *ctl,
            const char *argument)
{
  g_autoptr(GError) error = NULL;

  if (!sws_dbus_manager_call_reload_sync (ctl->manager, CALL_FLAGS, CALL_TIMEOUT_MS, NULL, &error))
    return fail (error);
  return EXIT_OK;
}

static const Command commands[] = {
  { "status", NULL, N_("The server: version, uptime, addresses, counters"), cmd_status },
  { "registrations", NULL, N_("Every contact binding"), cmd_registrations },
  { "calls", NULL, N_("Calls going on and those that ended lately"), cmd_calls },
  { "lookup", N_("AOR"), N_("The bindings of an address-of-record"), cmd_lookup },
  { "hangup", N_("CALL"), N_("End a call, given by its number or object path"), cmd_hangup },
  { "remove", N_("REG"), N_("Drop a binding, given by its number or object path"), cmd_remove },
  { "monitor", NULL, N_("Print registration and call events until interrupted"), cmd_monitor },
  { "reload", NULL, N_("Make sipwsd re-read its configuration file"), cmd_reload },
};

/* ---- main --------------------------------------------------------------- */

static char *
describe_commands (void)
{
  GString *text = g_string_new (_("Commands:"));

  g_string_append_c (text, '\n');
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *usage = commands[i].argument
                                 ? g_strdup_printf ("%s %s", commands[i].name,
                                                    _(commands[i].argument))
                                 : g_strdup (commands[i].name);

      g_string_append_printf (text, "  %-18s %s\n", usage, _(commands[i].help));
    }
  /* Not in the table: it edits a file and needs no daemon. */
  g_string_append_printf (text, "  %-18s %s\n", _("passwd USER"),
                          _("Set a password in the users file of [auth] (passwd --help)"));
  g_string_append_c (text, '\n');
  g_string_append (text, _("Exit status: 0 success, 1 sipwsd refused or is not running, "
                           "2 bad usage."));
  g_string_append_c (text, '\n');
  return g_string_free (text, FALSE);
}

static int
usage (GOptionContext *context,
       const char     *problem)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  g_printerr ("sipwsctl: %s\n\n%s", problem, help);
  return EXIT_USAGE;
}

/* Connect and make sure the daemon is there; prints why not. */
static int
connect_to_daemon (Ctl *ctl)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autofree char *owner = NULL;

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (bus == NULL)
    {
      g_printerr (_("sipwsctl: there is no session bus to find sipwsd on: %s\n"),
                  error->message);
      return EXIT_DBUS;
    }
  /* Never start the daemon (D-Bus activation) just to look at it. */
  ctl->objects =
    sws_dbus_object_manager_client_new_sync (bus, G_DBUS_OBJECT_MANAGER_CLIENT_FLAGS_DO_NOT_AUTO_START,
                                             BUS_NAME, ROOT, NULL, &error);
  if (ctl->objects == NULL)
    return fail (error);
  owner = g_dbus_object_manager_client_get_name_owner (G_DBUS_OBJECT_MANAGER_CLIENT (ctl->objects));
  if (owner == NULL)
    {
      g_printerr ("%s\n", _("sipwsd is not running (nothing owns org.sipws.Server1 on the "
                            "session bus)"));
      return EXIT_DBUS;
    }
  ctl->manager = sws_dbus_manager_proxy_new_sync (bus, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
                                                  BUS_NAME, ROOT, NULL, &error);
  if (ctl->manager == NULL)
    return fail (error);
  return EXIT_OK;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  const Command *command = NULL;
  gboolean json = FALSE;
  Ctl ctl = { 0 };
  int status;
  const GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json,
      N_("Print JSON instead of text (monitor: one object per line)"), NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc >= 2 && g_str_equal (argv[1], "passwd"))
    return sws_ctl_passwd (argc - 1, argv + 1);

  context = g_option_context_new (_("COMMAND [ARGUMENT]"));
  g_option_context_set_summary (context, _("Look at and control a running sipwsd."));
  description = describe_commands ();
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage (context, error->message);
  if (argc < 2)
    return usage (context, _("a command is needed"));
  if (g_str_equal (argv[1], "passwd"))
    return usage (context, _("“passwd” takes its own options, after it"));

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      command = &commands[i];
  if (command == NULL)
    {
      g_autofree char *problem = g_strdup_printf (_("unknown command “%s”"), argv[1]);

      return usage (context, problem);
    }
  if (argc != (command->argument ? 3 : 2))
    {
      g_autofree char *problem = NULL;

      if (command->argument)
        problem = g_strdup_printf (_("“%s” needs one argument, %s"), command->name,
                                   _(command->argument));
      else
        problem = g_strdup_printf (_("“%s” takes no argument"), command->name);
      return usage (context, problem);
    }

  ctl.json = json;
  status = connect_to_daemon (&ctl);
  if (status == EXIT_OK)
    status = command->run (&ctl, argc > 2 ? argv[2] : NULL);

  g_clear_object (&ctl.manager);
  g_clear_object (&ctl.objects);
  return status;
}
