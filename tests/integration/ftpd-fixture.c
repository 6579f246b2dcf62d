/* tests/integration/ftpd-fixture.c — real FTP servers for the engine's tests: pyftpdlib (virtual
 * user, MLSD) and vsftpd (real account, no MLSD), each on a free loopback port in a private dir.
 * Must not: touch the system's vsftpd or its config, or stop processes it did not start. */
#include "config.h"
#include "ftpd-fixture.h"

#include <glib/gstdio.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* The same account and password tests/lib/ftpd.sh uses, created under the same lock. */
#define TEST_USER "clamftp-test"
#define TEST_PASS "clamftp-test-Pw1"
#define START_MS 10000

guint16 ftpd_free_port(void)
{
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        g_assert_cmpint(fd, >=, 0);
        struct sockaddr_in sin = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        socklen_t len = sizeof sin;
        g_assert_cmpint(bind(fd, (struct sockaddr *)&sin, len), ==, 0);
        g_assert_cmpint(getsockname(fd, (struct sockaddr *)&sin, &len), ==, 0);
        close(fd);
        return ntohs(sin.sin_port);
}

/* TRUE when 127.0.0.1:port sends a line starting with 220. */
static gboolean greets(guint16 port)
{
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(port),
                                   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        struct timeval tv = { .tv_sec = 2 };
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        char buf[4] = "";
        gboolean ok = connect(fd, (struct sockaddr *)&sin, sizeof sin) == 0 &&
                      recv(fd, buf, 3, MSG_WAITALL) == 3 && memcmp(buf, "220", 3) == 0;
        close(fd);
        return ok;
}

static gboolean child_alive(GPid pid)
{
        int status;
        return waitpid(pid, &status, WNOHANG) == 0;
}

static void kill_child(GPid pid)
{
        if (pid <= 0)
                return;
        kill(pid, SIGTERM);
        gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
        while (child_alive(pid) && g_get_monotonic_time() < deadline)
                g_usleep(10 * 1000);
        if (child_alive(pid)) {
                kill(pid, SIGKILL);
                waitpid(pid, NULL, 0);
        }
}

static gboolean wait_greeting(GPid pid, guint16 port)
{
        gint64 deadline = g_get_monotonic_time() + START_MS * 1000;
        while (g_get_monotonic_time() < deadline) {
                if (!child_alive(pid))
                        return FALSE;
                if (greets(port))
                        return TRUE;
                g_usleep(20 * 1000);
        }
        return FALSE;
}

/* A server must not outlive a test that aborted on a failed assertion. */
static void die_with_parent(gpointer data)
{
        prctl(PR_SET_PDEATHSIG, SIGTERM);
}

static GPid spawn(char **argv, const char *log)
{
        GPid pid = 0;
        g_autoptr(GError) error = NULL;
        int out = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        g_assert_cmpint(out, >=, 0);
        gboolean ok = g_spawn_async_with_fds(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, die_with_parent, NULL, &pid, -1, out,
                                             out, &error);
        close(out);
        g_assert_no_error(error);
        g_assert_true(ok);
        return pid;
}

static gboolean start_pyftpdlib(Ftpd *f)
{
        for (int attempt = 0; attempt < 5; attempt++) {
                f->port = ftpd_free_port();
                g_autofree char *port = g_strdup_printf("%u", f->port);
                g_autofree char *log = g_build_filename(f->dir, "pyftpdlib.log", NULL);
                char *argv[] = { "/usr/bin/python3", "-m", "pyftpdlib", "-i", "127.0.0.1", "-p", port, "-w",
                                 "-u", (char *)f->user, "-P", (char *)f->password, "-d", f->root, NULL };
                f->pid = spawn(argv, log);
                if (wait_greeting(f->pid, f->port))
                        return TRUE;
                kill_child(f->pid);
                f->pid = 0;
        }
        f->skip_reason = g_strdup("pyftpdlib did not start (is python3-pyftpdlib installed for /usr/bin/python3?)");
        return FALSE;
}

static gboolean ensure_account(void)
{
        const char *script =
                "exec 9>/tmp/clamftp-test-account.lock; flock 9; "
                "getent passwd " TEST_USER " >/dev/null || "
                "useradd --no-create-home --home-dir / --shell /bin/bash " TEST_USER " || exit 1; "
                "echo '" TEST_USER ":" TEST_PASS "' | chpasswd";
        char *argv[] = { "/bin/sh", "-c", (char *)script, NULL };
        int status = -1;
        return g_spawn_sync(NULL, argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, NULL) &&
               g_spawn_check_wait_status(status, NULL);
}

static void write_vsftpd_conf(const Ftpd *f, const char *path, guint16 pasv_lo)
{
        g_autofree char *empty = g_build_filename(f->dir, "empty", NULL);
        g_mkdir(empty, 0755);
        g_autofree char *conf = g_strdup_printf(
                "listen=YES\nlisten_ipv6=NO\nlisten_address=127.0.0.1\nlisten_port=%u\nbackground=NO\n"
                "seccomp_sandbox=NO\nanonymous_enable=NO\nlocal_enable=YES\nwrite_enable=YES\nlocal_umask=022\n"
                "chroot_local_user=YES\nallow_writeable_chroot=YES\nsecure_chroot_dir=%s\nlocal_root=%s\n"
                "pasv_enable=YES\npasv_min_port=%u\npasv_max_port=%u\nport_enable=YES\nconnect_from_port_20=NO\n"
                /* vsftpd's default: TYPE A moves bytes unchanged, so the client's conversion shows */
                "ascii_upload_enable=NO\nascii_download_enable=NO\n"
                "xferlog_enable=NO\nvsftpd_log_file=%s/vsftpd.log\nuserlist_enable=NO\npam_service_name=vsftpd\n"
                "ssl_enable=NO\nuse_localtime=NO\nmax_per_ip=0\nmax_clients=0\n",
                f->port, empty, f->root, pasv_lo, pasv_lo + 15, f->dir);
        g_assert_true(g_file_set_contents(path, conf, -1, NULL));
}

static gboolean start_vsftpd(Ftpd *f)
{
        if (geteuid() != 0 || !g_file_test("/usr/sbin/vsftpd", G_FILE_TEST_IS_EXECUTABLE)) {
                f->skip_reason = g_strdup("vsftpd needs root and /usr/sbin/vsftpd (a real local account and chroot)");
                return FALSE;
        }
        if (!ensure_account()) {
                f->skip_reason = g_strdup("could not create the test account " TEST_USER);
                return FALSE;
        }
        struct passwd *pw = getpwnam(TEST_USER);
        g_assert_nonnull(pw);
        g_assert_cmpint(chown(f->root, pw->pw_uid, pw->pw_gid), ==, 0);
        g_assert_cmpint(chmod(f->dir, 0755), ==, 0);
        for (int attempt = 0; attempt < 5; attempt++) {
                f->port = ftpd_free_port();
                g_autofree char *conf = g_build_filename(f->dir, "vsftpd.conf", NULL);
                write_vsftpd_conf(f, conf, (guint16)g_random_int_range(20000, 59000));
                g_autofree char *log = g_build_filename(f->dir, "vsftpd.out", NULL);
                char *argv[] = { "/usr/sbin/vsftpd", conf, NULL };
                f->pid = spawn(argv, log);
                if (wait_greeting(f->pid, f->port))
                        return TRUE;
                kill_child(f->pid); /* a port taken meanwhile makes vsftpd exit silently */
                f->pid = 0;
        }
        f->skip_reason = g_strdup("vsftpd did not start");
        return FALSE;
}

Ftpd *ftpd_start(FtpdKind kind)
{
        Ftpd *f = g_new0(Ftpd, 1);
        f->kind = kind;
        f->name = kind == FTPD_VSFTPD ? "vsftpd" : "pyftpdlib";
        f->user = TEST_USER;
        f->password = TEST_PASS;
        f->has_mlsd = kind == FTPD_PYFTPDLIB;
        f->converts_ascii = kind == FTPD_PYFTPDLIB;
        g_autoptr(GError) error = NULL;
        f->dir = g_dir_make_tmp("clamftp-session-XXXXXX", &error);
        g_assert_no_error(error);
        f->root = g_build_filename(f->dir, "root", NULL);
        g_assert_cmpint(g_mkdir(f->root, 0755), ==, 0);
        if (kind == FTPD_VSFTPD)
                start_vsftpd(f);
        else
                start_pyftpdlib(f);
        return f;
}

void ftpd_stop(Ftpd *f)
{
        if (!f)
                return;
        kill_child(f->pid);
        char *argv[] = { "rm", "-rf", f->dir, NULL };
        g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, NULL, NULL);
        g_free(f->skip_reason);
        g_free(f->dir);
        g_free(f->root);
        g_free(f);
}

void ftpd_put_file(const Ftpd *f, const char *name, const char *data, gsize len)
{
        g_autofree char *path = g_build_filename(f->root, name, NULL);
        g_assert_true(g_file_set_contents(path, data, (gssize)len, NULL));
        struct passwd *pw = f->kind == FTPD_VSFTPD ? getpwnam(TEST_USER) : NULL;
        if (pw)
                g_assert_cmpint(chown(path, pw->pw_uid, pw->pw_gid), ==, 0);
        g_assert_cmpint(chmod(path, 0644), ==, 0);
}

GBytes *ftpd_get_file(const Ftpd *f, const char *name)
{
        g_autofree char *path = g_build_filename(f->root, name, NULL);
        char *data = NULL;
        gsize len = 0;
        if (!g_file_get_contents(path, &data, &len, NULL))
                return NULL;
        return g_bytes_new_take(data, len);
}
