/* sws-bench-proc.c: the server's side of a measurement
 *
 * CPU time is utime + stime from /proc/PID/stat and memory is PSS from
 * /proc/PID/smaps_rollup, both summed over every PID given: a multi-process
 * server (Kamailio forks a dozen) shares memory between its processes,
 * and PSS splits shared pages fairly so that the sum is the real total.
 *
 * The tool can also start the server itself (--spawn, "@PORT@" in its
 * command line becomes a free loopback port), which the smoke test and
 * the startup measurement use: time from fork/exec to the first TCP
 * connect() that succeeds.
 */

#include "sws-bench.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

/* ---- /proc -------------------------------------------------------------- */

bool
sb_proc_cpu (const pid_t *pids,
             unsigned     n,
             double      *user,
             double      *sys)
{
  long ticks = sysconf (_SC_CLK_TCK);
  unsigned long long total_user = 0, total_sys = 0;

  for (unsigned i = 0; i < n; i++)
    {
      char path[64], buf[1024], *p;
      unsigned long long utime, stime;
      ssize_t len;
      int fd;

      snprintf (path, sizeof path, "/proc/%d/stat", (int) pids[i]);
      fd = open (path, O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        return false;
      len = read (fd, buf, sizeof buf - 1);
      close (fd);
      if (len <= 0)
        return false;
      buf[len] = '\0';
      /* The command name may hold spaces and parentheses: start after the
       * last ')'. Fields 3..13 come first, then utime (14) and stime (15). */
      p = strrchr (buf, ')');
      if (p == NULL ||
          sscanf (p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
                  &utime, &stime) != 2)
        return false;
      total_user += utime;
      total_sys += stime;
    }
  *user = (double) total_user / (double) ticks;
  *sys = (double) total_sys / (double) ticks;
  return true;
}

/* Seconds all CPUs spent busy since boot (/proc/stat): with the server's
 * and our own CPU time it tells how much went to other processes, i.e.
 * whether the machine was quiet while we measured. */
bool
sb_proc_busy (double *seconds)
{
  unsigned long long v[8] = { 0 };
  FILE *f = fopen ("/proc/stat", "re");
  int n;

  if (f == NULL)
    return false;
  n = fscanf (f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu",
              &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
  fclose (f);
  if (n < 4)
    return false;
  /* user nice system idle iowait irq softirq steal: all but idle and iowait */
  *seconds = (double) (v[0] + v[1] + v[2] + v[5] + v[6] + v[7]) / (double) sysconf (_SC_CLK_TCK);
  return true;
}

bool
sb_proc_pss (const pid_t *pids,
             unsigned     n,
             uint64_t    *kib)
{
  uint64_t total = 0;

  for (unsigned i = 0; i < n; i++)
    {
      char path[64], line[256];
      unsigned long long v;
      bool found = false;
      FILE *f;

      snprintf (path, sizeof path, "/proc/%d/smaps_rollup", (int) pids[i]);
      f = fopen (path, "re");
      if (f == NULL)
        return false;
      while (fgets (line, sizeof line, f) != NULL)
        if (sscanf (line, "Pss: %llu kB", &v) == 1)
          {
            total += v;
            found = true;
            break;
          }
      fclose (f);
      if (!found)
        return false;
    }
  *kib = total;
  return true;
}

/* ---- starting a server -------------------------------------------------- */

/* A loopback port nobody listens on right now. The server binds it a
 * moment later; a collision shows as a failed start, not a wrong result. */
unsigned
sb_free_port (void)
{
  struct sockaddr_in a = { 0 };
  socklen_t alen = sizeof a;
  unsigned port = 0;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

  if (fd < 0)
    return 0;
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (bind (fd, (struct sockaddr *) &a, sizeof a) == 0 &&
      getsockname (fd, (struct sockaddr *) &a, &alen) == 0)
    port = ntohs (a.sin_port);
  close (fd);
  return port;
}

/* Fork and exec the server in its own process group (so that a stop
 * reaches whatever it forks), stdin from /dev/null, output to `log`. */
pid_t
sb_spawn (char       **argv_template,
          unsigned     port,
          const char  *log)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  char port_text[16];
  pid_t pid;

  snprintf (port_text, sizeof port_text, "%u", port);
  for (unsigned i = 0; argv_template[i] != NULL; i++)
    {
      GString *arg = g_string_new (argv_template[i]);

      g_string_replace (arg, "@PORT@", port_text, 0);
      g_ptr_array_add (argv, g_string_free (arg, FALSE));
    }
  g_ptr_array_add (argv, NULL);

  pid = fork ();
  if (pid < 0)
    return -1;
  if (pid == 0)
    {
      /* O_CLOEXEC: only the dup2() copies reach the server. */
      int in = open ("/dev/null", O_RDONLY | O_CLOEXEC);
      int out = open (log ? log : "/dev/null", O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

      setpgid (0, 0);
      if (in >= 0)
        dup2 (in, STDIN_FILENO);
      if (out >= 0)
        {
          dup2 (out, STDOUT_FILENO);
          dup2 (out, STDERR_FILENO);
        }
      execvp (argv->pdata[0], (char **) argv->pdata);
      _exit (127);
    }
  setpgid (pid, pid);
  return pid;
}

static void
sleep_us (long us)
{
  struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

  nanosleep (&ts, NULL);
}

/* Poll with plain connect()s (immediate on loopback) until one succeeds,
 * the server dies, or the time is up. */
bool
sb_wait_accepting (const struct sockaddr_in *addr,
                   pid_t                     pid,
                   double                    timeout,
                   int64_t                  *at)
{
  int64_t deadline = sb_now () + (int64_t) (timeout * 1e9);

  while (sb_now () < deadline)
    {
      int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      int status;

      if (fd < 0)
        return false;
      if (connect (fd, (const struct sockaddr *) addr, sizeof *addr) == 0)
        {
          *at = sb_now ();
          close (fd);
          return true;
        }
      close (fd);
      if (pid > 0 && waitpid (pid, &status, WNOHANG) == pid)
        return false;
      sleep_us (200);
    }
  return false;
}

/* SIGTERM to the group, SIGKILL after 5 s. */
void
sb_stop_server (pid_t pid)
{
  int64_t deadline;
  int status;

  if (pid <= 0)
    return;
  kill (-pid, SIGTERM);
  deadline = sb_now () + 5000000000LL;
  while (sb_now () < deadline)
    {
      pid_t r = waitpid (pid, &status, WNOHANG);

      if (r == pid || (r < 0 && errno == ECHILD))
        return;
      sleep_us (5000);
    }
  kill (-pid, SIGKILL);
  waitpid (pid, &status, 0);
}

/* ---- startup mode ------------------------------------------------------- */

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
sb_run_startup (SbOptions *opts)
{
  g_autofree double *ms = g_new0 (double, opts->repeat);
  g_autofree double *sorted = NULL;
  g_autoptr(GString) json = g_string_new (NULL);
  unsigned n = 0, failed = 0;

  if (opts->spawn_argv == NULL)
    {
      fprintf (stderr, "sws-bench: --mode startup needs the server command after --\n");
      return 2;
    }

  for (unsigned r = 0; r < opts->repeat; r++)
    {
      struct sockaddr_in addr = { 0 };
      unsigned port = sb_free_port ();
      int64_t t0, at = 0;
      pid_t pid;

      addr.sin_family = AF_INET;
      addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
      addr.sin_port = htons ((uint16_t) port);
      t0 = sb_now ();
      pid = sb_spawn (opts->spawn_argv, port, opts->spawn_log);
      if (pid > 0 && sb_wait_accepting (&addr, pid, 10.0, &at))
        ms[n++] = (double) (at - t0) / 1e6;
      else
        failed++;
      sb_stop_server (pid);
    }

  sorted = g_memdup2 (ms, sizeof (double) * opts->repeat);
  qsort (sorted, n, sizeof (double), compare_double);

  g_string_append_printf (json, "{\"tool\":\"sws-bench\",\"mode\":\"startup\",\"label\":\"%s\","
                          "\"repeat\":%u,\"failed\":%u,\"samples_ms\":[",
                          opts->label ? opts->label : "", opts->repeat, failed);
  for (unsigned i = 0; i < n; i++)
    g_string_append_printf (json, "%s%.2f", i ? "," : "", ms[i]);
  if (n > 0)
    {
      double median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;

      g_string_append_printf (json, "],\"ms\":{\"min\":%.2f,\"median\":%.2f,\"max\":%.2f}}",
                              sorted[0], median, sorted[n - 1]);
      printf ("startup  %s: %u runs, to accepting connections: min %.1f ms, median %.1f ms, "
              "max %.1f ms%s\n",
              opts->spawn_argv[0], n, sorted[0], median, sorted[n - 1],
              failed ? " (some starts failed)" : "");
    }
  else
    {
      g_string_append (json, "],\"ms\":null}");
      printf ("startup  %s: every start failed\n", opts->spawn_argv[0]);
    }
  printf ("%s\n", json->str);
  fflush (stdout);
  return n > 0 && failed == 0 ? 0 : 1;
}
