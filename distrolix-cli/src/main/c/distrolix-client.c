/*
 * distrolix-client: runs a distrolix command in a resident JVM (dev.distrolix.cli.resident.ResidentServer), for
 * bin/distrolix when DISTROLIX_DAEMON=1. A JVM's start, class loading and first compiles are most of a short
 * command's time; this program starts in a millisecond.
 *
 * Usage: distrolix-client DIR JAR SELF N DAEMON_ARGV[N] -- ARGS...
 *   DIR    a folder of this user's alone (made 0700 if absent; anything else and the JVM is not used)
 *   JAR    distrolix's jar: its identity is part of the socket's name (a rebuilt jar gets a JVM of its own)
 *   SELF   bin/distrolix: run as `SELF ARGS...`, without DISTROLIX_DAEMON, whenever the resident JVM cannot serve
 *   DAEMON_ARGV  the command that starts the resident JVM; the socket's path and the umask are added to it
 *
 * The socket is DIR/HASH.sock, HASH a 64-bit FNV-1a of the JVM's command, the jar's identity, the working
 * directory, the umask and the environment (but for the shell's bookkeeping: `_`, SHLVL, OLDPWD, PWD): a JVM serves only runs whose process state is its own,
 * which Java cannot vary by thread, and checks that in full (the hash only picks the socket). Where no JVM listens,
 * this starts one, detached (unless MAX_LIVING of them live), and runs the command the ordinary way meanwhile;
 * where one is busy or refuses, too.
 * Once the JVM has accepted a run, its output, exit status and requests for stdin come over the socket, and the
 * signals this process gets (INT, TERM, HUP) go to it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static char *self;
static char **args;
static int nargs;
static sigset_t original_mask;
/* INT, TERM, HUP go to the JVM; QUIT (a JVM's thread dump) is ignored while it runs; PIPE is ignored as the JVM
 * ignores it. Their dispositions as this process got them are restored before any exec. */
static const int handled[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE};
#define NHANDLED (sizeof handled / sizeof *handled)
static struct sigaction original_action[NHANDLED];
static volatile sig_atomic_t pending;

static void original_signals(void) {
    for (size_t i = 0; i < NHANDLED; i++) sigaction(handled[i], &original_action[i], NULL);
    sigprocmask(SIG_SETMASK, &original_mask, NULL);
}

/* Runs the command the ordinary way: bin/distrolix without DISTROLIX_DAEMON. */
static void fallback(void) {
    char **argv = calloc((size_t)nargs + 2, sizeof *argv);
    if (!argv) abort();
    argv[0] = self;
    memcpy(argv + 1, args, (size_t)nargs * sizeof *argv);
    unsetenv("DISTROLIX_DAEMON");
    original_signals();
    execv(self, argv);
    fprintf(stderr, "distrolix: cannot run %s: %s\n", self, strerror(errno));
    exit(1);
}

static uint64_t hash = 1469598103934665603ULL;
static void mix(const void *p, size_t n) {
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) hash = (hash ^ c[i]) * 1099511628211ULL;
}
static void mix_string(const char *s) { mix(s, strlen(s) + 1); }
static int by_string(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* A growing request buffer. */
static unsigned char *req;
static size_t req_len, req_cap;
static void put(const void *p, size_t n) {
    if (req_len + n > req_cap) {
        req_cap = (req_len + n) * 2;
        req = realloc(req, req_cap);
        if (!req) abort();
    }
    memcpy(req + req_len, p, n);
    req_len += n;
}
static void put_u32(uint32_t v) {
    unsigned char b[4] = {v >> 24, v >> 16, v >> 8, v};
    put(b, 4);
}
static void put_string(const char *s) {
    size_t n = strlen(s);
    put_u32((uint32_t)n);
    put(s, n);
}

static int write_all(int fd, const void *p, size_t n, int sock) {
    const char *c = p;
    while (n > 0) {
        ssize_t w = sock ? send(fd, c, n, MSG_NOSIGNAL) : write(fd, c, n);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && errno == EAGAIN) {
            struct pollfd pf = {fd, POLLOUT, 0};
            poll(&pf, 1, -1);
            continue;
        }
        if (w <= 0) return -1;
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads n bytes; 0 when the stream ended before the first, -1 on an error or an end within them. */
static int read_all(int fd, void *p, size_t n) {
    char *c = p;
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, c + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return -1;
        if (r == 0) return got == 0 ? 0 : -1;
        got += (size_t)r;
    }
    return 1;
}

static int send_frame(int sock, char type, const void *data, uint32_t len) {
    unsigned char h[5] = {(unsigned char)type, len >> 24, len >> 16, len >> 8, len};
    if (write_all(sock, h, 5, 1) < 0) return -1;
    return len ? write_all(sock, data, len, 1) : 0;
}

/* Closes every descriptor but stdio: one left open (a caller's pipe) would keep `$(distrolix …)` waiting until the
 * JVM ends. */
static void close_inherited(void) {
    DIR *d = opendir("/proc/self/fd");
    if (!d) {
        long max = sysconf(_SC_OPEN_MAX);
        for (long fd = 3; fd < (max > 0 && max < 1 << 20 ? max : 1 << 16); fd++) close((int)fd);
        return;
    }
    int own = dirfd(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        int fd = atoi(e->d_name);
        if (fd > 2 && fd != own) close(fd);
    }
    closedir(d);
}

/* Whether a resident JVM holds this lock file (it holds it while it lives). */
static int held(const char *lock) {
    int lfd = open(lock, O_RDONLY | O_CLOEXEC);
    if (lfd < 0) return 0;
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    int h = fcntl(lfd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK;
    close(lfd);
    return h;
}

/* How many resident JVMs of this user live (each for its own working directory and environment). */
static int living(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return 0;
    int n = 0;
    struct dirent *e;
    char path[4200];
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".lock") != 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        n += held(path);
    }
    closedir(d);
    return n;
}

/* At most this many resident JVMs a user (~60-200 MB each while they wait): past it, runs in another working
 * directory or environment run the ordinary way until one ends (idle). */
#define MAX_LIVING 4

/* Starts the resident JVM, detached (its own session, stdio on /dev/null), unless one holds the socket's lock
 * (starting, or it just went: the next run finds it) or enough others live. */
static void start_daemon(const char *dir, char **daemon, int ndaemon, const char *sock, const char *lock,
                         const char *failed, mode_t m) {
    struct stat st;
    /* one that could not start (its .failed says why) is not started again for ten minutes */
    if (stat(failed, &st) == 0 && st.st_mtime > time(NULL) - 600) return;
    if (held(lock) || living(dir) >= MAX_LIVING) return;
    char mask[16];
    snprintf(mask, sizeof mask, "%u", (unsigned)m);
    char **argv = calloc((size_t)ndaemon + 3, sizeof *argv);
    if (!argv) return;
    memcpy(argv, daemon, (size_t)ndaemon * sizeof *argv);
    argv[ndaemon] = (char *)sock;
    argv[ndaemon + 1] = mask;
    pid_t p = fork();
    if (p == 0) {
        original_signals();
        if (fork() == 0) {
            setsid();
            int nul = open("/dev/null", O_RDWR);
            if (nul < 0) _exit(127);
            dup2(nul, 0);
            dup2(nul, 1);
            dup2(nul, 2);
            close_inherited();
            execvp(argv[0], argv);
            _exit(127);
        }
        _exit(0);
    }
    if (p > 0) waitpid(p, NULL, 0);
    free(argv);
}

static void on_signal(int s) { pending = s; }

/* The shell's own variables, which differ between a script and its subshells (SHLVL), after a cd (OLDPWD, PWD: the
 * working directory itself is compared) and by the program run (_): neither distrolix nor the tools it runs read
 * them. ResidentRequest leaves out the same. */
static int shell_bookkeeping(const char *entry) {
    static const char *const names[] = {"_=", "SHLVL=", "OLDPWD=", "PWD="};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strncmp(entry, names[i], strlen(names[i])) == 0) return 1;
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 6) {
        fprintf(stderr, "usage: distrolix-client DIR JAR SELF N DAEMON_ARGV... -- ARGS...\n");
        return 2;
    }
    const char *dir = argv[1], *jar = argv[2];
    self = argv[3];
    int ndaemon = atoi(argv[4]);
    if (ndaemon < 1 || 5 + ndaemon >= argc || strcmp(argv[5 + ndaemon], "--") != 0) {
        fprintf(stderr, "distrolix-client: bad arguments\n");
        return 2;
    }
    char **daemon = argv + 5;
    args = argv + 6 + ndaemon;
    nargs = argc - 6 - ndaemon;
    sigprocmask(SIG_SETMASK, NULL, &original_mask);
    for (size_t i = 0; i < NHANDLED; i++) sigaction(handled[i], NULL, &original_action[i]);

    /* the folder: this user's alone */
    struct stat st;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) fallback();
    if (lstat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != getuid() || (st.st_mode & 077) != 0) fallback();

    /* the socket's name */
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd)) fallback();
    mode_t m = umask(0);
    umask(m);
    for (int i = 0; i < ndaemon; i++) mix_string(daemon[i]);
    if (stat(jar, &st) != 0) fallback();
    uint64_t id[5] = {(uint64_t)st.st_dev, (uint64_t)st.st_ino, (uint64_t)st.st_size, (uint64_t)st.st_mtim.tv_sec,
                      (uint64_t)st.st_mtim.tv_nsec};
    mix(id, sizeof id);
    mix_string(cwd);
    uint32_t mask32 = (uint32_t)m;
    mix(&mask32, sizeof mask32);
    /* what else a process inherits and a run may depend on, that the JVM cannot compare with its own: groups (a
     * docker socket's), limits, the CPUs it may use (the workers a build starts), its niceness */
    gid_t groups[256];
    int ngroups = getgroups(256, groups);
    gid_t gid = getgid();
    mix(&gid, sizeof gid);
    if (ngroups > 0) mix(groups, (size_t)ngroups * sizeof *groups);
    struct rlimit rl[3];
    getrlimit(RLIMIT_NOFILE, &rl[0]);
    getrlimit(RLIMIT_AS, &rl[1]);
    getrlimit(RLIMIT_NPROC, &rl[2]);
    mix(rl, sizeof rl);
    cpu_set_t cpus;
    int ncpus = sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? CPU_COUNT(&cpus) : -1;
    mix(&ncpus, sizeof ncpus);
    errno = 0;
    int nice = getpriority(PRIO_PROCESS, 0);
    mix(&nice, sizeof nice);
    size_t nenv = 0;
    while (environ[nenv]) nenv++;
    char **env = calloc(nenv + 1, sizeof *env);
    if (!env) abort();
    size_t kept = 0;
    for (size_t i = 0; i < nenv; i++)
        if (!shell_bookkeeping(environ[i])) env[kept++] = environ[i];
    qsort(env, kept, sizeof *env, by_string);
    for (size_t i = 0; i < kept; i++) mix_string(env[i]);
    char sock[sizeof ((struct sockaddr_un *)0)->sun_path], lock[4200], failed[4200];
    if ((size_t)snprintf(sock, sizeof sock, "%s/%016llx.sock", dir, (unsigned long long)hash) >= sizeof sock) fallback();
    snprintf(lock, sizeof lock, "%s/%016llx.lock", dir, (unsigned long long)hash);
    snprintf(failed, sizeof failed, "%s/%016llx.failed", dir, (unsigned long long)hash);

    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    strcpy(addr.sun_path, sock);
    if (fd < 0) fallback();
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        if (errno == ENOENT || errno == ECONNREFUSED) start_daemon(dir, daemon, ndaemon, sock, lock, failed, m);
        fallback();
    }

    /* signals: INT, TERM, HUP (unless this process got them ignored: nohup, a background job) blocked but while
     * waiting (ppoll), where they end the wait and go to the JVM; QUIT and PIPE ignored */
    sigset_t block;
    sigemptyset(&block);
    for (size_t i = 0; i < NHANDLED; i++) {
        int sig = handled[i];
        if (original_action[i].sa_handler == SIG_IGN) continue;
        struct sigaction sa = {.sa_handler = sig == SIGQUIT || sig == SIGPIPE ? SIG_IGN : on_signal};
        sigemptyset(&sa.sa_mask);
        sigaction(sig, &sa, NULL);
        if (sa.sa_handler == on_signal) sigaddset(&block, sig);
    }
    sigprocmask(SIG_BLOCK, &block, NULL);
    sigset_t waiting = original_mask;
    for (size_t i = 0; i < NHANDLED; i++) sigdelset(&waiting, handled[i]);

    put("DLX1", 4);
    put_u32(mask32);
    unsigned char console = isatty(0) && isatty(1);
    put(&console, 1);
    put_string(cwd);
    put_u32((uint32_t)nenv);
    for (size_t i = 0; i < nenv; i++) put_string(environ[i]);
    put_u32((uint32_t)nargs);
    for (int i = 0; i < nargs; i++) put_string(args[i]);
    if (write_all(fd, req, req_len, 1) < 0) fallback();

    int accepted = 0, signalled = 0, out_ok = 1, err_ok = 1;
    uint32_t wanted = 0;
    static char buf[1 << 20];
    /* The JVM answers A (or R) at once, and runs the command only after this process says G: a JVM that does not
     * answer within ten seconds (frozen, or stopped) is left, and the command run the ordinary way. */
    struct timespec answer_within = {10, 0};
    for (;;) {
        struct pollfd p[2] = {{fd, POLLIN, 0}, {0, POLLIN, 0}};
        int r = ppoll(p, wanted ? 2 : 1, accepted ? NULL : &answer_within, &waiting);
        if (r == 0 && !accepted) {
            close(fd);
            fallback();
        }
        if (r < 0) {
            if (errno != EINTR) break;
            if (pending) {
                int s = pending;
                pending = 0;
                if (!accepted) {
                    /* the run has not started: end as the ordinary run would have */
                    original_signals();
                    raise(s);
                }
                signalled = s;
                uint32_t be = htonl((uint32_t)s);
                send_frame(fd, 'S', &be, 4);
            }
            continue;
        }
        if (wanted && (p[1].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL))) {
            ssize_t n;
            do n = read(0, buf, wanted < sizeof buf ? wanted : sizeof buf);
            while (n < 0 && errno == EINTR);
            if (n < 0) n = 0;
            wanted = 0;
            if (send_frame(fd, 'D', buf, (uint32_t)n) < 0) break;
        }
        if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        unsigned char h[5];
        int got = read_all(fd, h, 5);
        if (got <= 0) break;
        uint32_t len = (uint32_t)h[1] << 24 | (uint32_t)h[2] << 16 | (uint32_t)h[3] << 8 | h[4];
        if (len > sizeof buf || (len > 0 && read_all(fd, buf, len) != 1)) break;
        switch (h[0]) {
        case 'A':
            if (!accepted && send_frame(fd, 'G', NULL, 0) == 0) accepted = 1;
            break;
        case 'R':
            if (!accepted) {
                close(fd);
                fallback();
            }
            break;
        case 'O':
            if (out_ok && write_all(1, buf, len, 0) < 0) out_ok = 0;
            break;
        case 'E':
            if (err_ok && write_all(2, buf, len, 0) < 0) err_ok = 0;
            break;
        case 'I':
            if (len == 4) wanted = (uint32_t)(unsigned char)buf[0] << 24 | (uint32_t)(unsigned char)buf[1] << 16 |
                                   (uint32_t)(unsigned char)buf[2] << 8 | (unsigned char)buf[3];
            if (wanted == 0) wanted = 1;
            break;
        case 'X':
            if (len == 4)
                exit((int)((uint32_t)(unsigned char)buf[0] << 24 | (uint32_t)(unsigned char)buf[1] << 16 |
                           (uint32_t)(unsigned char)buf[2] << 8 | (unsigned char)buf[3]) & 0xff);
            break;
        }
    }
    if (!accepted) {
        close(fd);
        fallback();
    }
    if (signalled) exit(128 + signalled);
    fprintf(stderr, "distrolix: the resident JVM (DISTROLIX_DAEMON=1) ended before the command did; its log is %.*s.log\n",
            (int)(strlen(sock) - 5), sock);
    return 1;
}
