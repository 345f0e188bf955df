/* sws-ctl-passwd.c: sipwsctl passwd: set a password in the users file
 *
 * The one command of sipwsctl that needs no daemon: it edits the users
 * file of [auth] (sws-users-file.c), which sipwsd reads at start and on
 * reload. Where the file is and which realm to use come from the options,
 * else from the configuration file sipwsd itself would read. The password
 * is read from the terminal without echo, twice, or as one line from
 * standard input when that is not a terminal (scripts).
 */

#define G_LOG_DOMAIN "sipwsctl"

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gi18n.h>

#include "sws-config.h"
#include "sws-ctl-passwd.h"
#include "sws-users-file.h"

enum {
  EXIT_OK = 0,
  EXIT_FAILED = 1,
  EXIT_USAGE = 2,
};

/* A new users file starts with a line saying what it is. */
#define NEW_FILE_HEADER "# sipws users: USER:REALM:ALGORITHM:HA1 (written by sipwsctl passwd)\n"

/* The terminal as it was, restored on the way out, also after Ctrl-C. */
static struct termios saved_termios;
static volatile sig_atomic_t echo_off;

static void
restore_echo (void)
{
  if (echo_off)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved_termios);
      echo_off = 0;
    }
}

static void
on_interrupt (int signum)
{
  restore_echo ();
  signal (signum, SIG_DFL);
  raise (signum);
}

static void
wipe (char *secret)
{
  if (secret != NULL)
    explicit_bzero (secret, strlen (secret));
  g_free (secret);
}

/* A string that is wiped before it is freed. */
typedef char char_secret;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (char_secret, wipe)

/* One line of standard input without its line ending; NULL at the end. */
static char *
read_line (void)
{
  char *line = NULL;
  size_t size = 0;
  ssize_t n = getline (&line, &size, stdin);
  char *copy;

  if (n < 0)
    {
      free (line);
      return NULL;
    }
  while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
    line[--n] = '\0';
  copy = g_strdup (line);
  explicit_bzero (line, size);
  free (line);
  return copy;
}

static char *
prompt_hidden (const char *prompt)
{
  struct termios quiet;
  struct sigaction sa = { 0 };
  char *line;

  g_printerr ("%s", prompt);
  if (tcgetattr (STDIN_FILENO, &saved_termios) == 0)
    {
      sa.sa_handler = on_interrupt;
      sigemptyset (&sa.sa_mask);
      sigaction (SIGINT, &sa, NULL);
      sigaction (SIGTERM, &sa, NULL);
      quiet = saved_termios;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      quiet.c_lflag |= ECHONL;
      if (tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0)
        echo_off = 1;
    }
  line = read_line ();
  restore_echo ();
  return line;
}

static char *
read_password (const char  *username,
               const char  *realm,
               GError     **error)
{
  g_autoptr(char_secret) password = NULL;
  g_autoptr(char_secret) again = NULL;
  g_autofree char *prompt = NULL;

  if (!isatty (STDIN_FILENO))
    password = read_line ();
  else
    {
      prompt = g_strdup_printf (_("Password for %s in realm %s: "), username, realm);
      password = prompt_hidden (prompt);
      if (password != NULL)
        again = prompt_hidden (_("Retype the password: "));
      if (password != NULL && g_strcmp0 (password, again) != 0)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The passwords differ; nothing was changed"));
          return NULL;
        }
    }
  if (password == NULL || *password == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("An empty password is refused; nothing was changed"));
      return NULL;
    }
  return g_steal_pointer (&password);
}

/* Read the file (a missing one is a new, empty file), set the password,
 * and replace the file in one rename, mode 0600. */
static gboolean
update_file (const char  *path,
             const char  *username,
             const char  *realm,
             const char  *password,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *updated = NULL;

  if (!g_file_get_contents (path, &text, NULL, &local_error))
    {
      if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      text = g_strdup (NEW_FILE_HEADER);
    }
  updated = sws_users_file_set_password (text, path, username, realm, password, error);
  if (updated == NULL)
    return FALSE;
  /* The HA1 lines let anyone who reads them log in: owner only. */
  return g_file_set_contents_full (path, updated, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                   error);
}

static int
usage (GOptionContext *context,
       const char     *problem)
{
  g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

  g_printerr ("sipwsctl passwd: %s\n\n%s", problem, help);
  return EXIT_USAGE;
}

int
sws_ctl_passwd (int    argc,
                char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SwsConfig) config = NULL;
  g_autoptr(char_secret) password = NULL;
  g_autofree char *file = NULL;
  g_autofree char *realm = NULL;
  const char *username;
  const GOptionEntry entries[] = {
    { "file", 'f', 0, G_OPTION_ARG_FILENAME, &file,
      N_("The users file (default: users-file= of [auth] in sipwsd’s configuration)"),
      N_("PATH") },
    { "realm", 'r', 0, G_OPTION_ARG_STRING, &realm,
      N_("The realm (default: the one sipwsd’s configuration gives)"), N_("REALM") },
    { NULL }
  };

  g_set_prgname ("sipwsctl passwd");
  context = g_option_context_new (_("USER"));
  g_option_context_set_summary (context,
                                _("Set the password of USER in the users file of sipwsd’s "
                                  "[auth]: its MD5 and SHA-256 lines are written, the file "
                                  "replaced at once, mode 0600. The password is read from "
                                  "the terminal without echo, or as one line from standard "
                                  "input. sipwsd uses it after a reload."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage (context, error->message);
  if (argc != 2)
    return usage (context, _("give exactly one USER"));
  username = argv[1];

  /* What the options leave open, sipwsd's own configuration says. */
  if (file == NULL || realm == NULL)
    {
      config = sws_config_new ();
      if (!sws_config_load (config, NULL, &error))
        {
          g_printerr ("sipwsctl: %s\n", error->message);
          return EXIT_FAILED;
        }
      if (file == NULL)
        file = g_strdup (sws_config_get_users_file (config));
      if (realm == NULL)
        realm = sws_config_dup_realm (config);
    }
  if (file == NULL)
    return usage (context, _("no users file: give --file, or set users-file= in the [auth] "
                             "group of sipwsd’s configuration"));
  if (!sws_users_file_check_names (username, realm, &error))
    return usage (context, error->message);

  password = read_password (username, realm, &error);
  if (password == NULL || !update_file (file, username, realm, password, &error))
    {
      g_printerr ("sipwsctl: %s\n", error->message);
      return EXIT_FAILED;
    }
  g_print (_("Password of %s in realm %s set in %s; “sipwsctl reload” makes sipwsd use it.\n"),
           username, realm, file);
  return EXIT_OK;
}
