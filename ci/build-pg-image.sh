#!/usr/bin/env bash
# Builds a PostgreSQL image offline, from this machine's own PostgreSQL install,
# and `docker import`s it (no registry needed). Prints the tag on stdout.
#
#   bash ci/build-pg-image.sh            # -> schema-parity/postgres:15
#   PG_MAJOR=16 IMAGE=my/pg:16 bash ci/build-pg-image.sh
#
# The image's root filesystem: /usr/lib/postgresql/$PG_MAJOR (without the LLVM
# JIT), /usr/share/postgresql/$PG_MAJOR, every shared library `ldd` lists for
# its binaries and modules (pgcrypto's libcrypto included), the dynamic loader,
# /bin/sh, glibc's C.utf8 locale, the system time zone data (Debian builds
# PostgreSQL with --with-system-tzdata), a `postgres` user and
# /docker-entrypoint.sh, which runs initdb and then execs postgres with the
# container's arguments (a leading `postgres` is dropped, so the command of
# the official image, `postgres -c port=N ...`, works as is).
set -euo pipefail

PG_MAJOR="${PG_MAJOR:-15}"
IMAGE="${IMAGE:-schema-parity/postgres:$PG_MAJOR}"
PG_LIB="/usr/lib/postgresql/$PG_MAJOR"
PG_SHARE="/usr/share/postgresql/$PG_MAJOR"
PG_UID=999
PG_GID=999

die() {
    echo "build-pg-image: $*" >&2
    exit 1
}
[ -x "$PG_LIB/bin/initdb" ] && [ -x "$PG_LIB/bin/postgres" ] ||
    die "no PostgreSQL $PG_MAJOR server at $PG_LIB (run ci/install-postgres.sh first)"
[ -d "$PG_SHARE" ] || die "no $PG_SHARE"
command -v docker >/dev/null 2>&1 || die "no docker CLI (run ci/start-docker.sh)"
command -v ldd >/dev/null 2>&1 || die "no ldd"

started=$(date +%s.%N)
# Small files are staged in $root; everything taken from the host is streamed
# straight from / into `docker import` (one tar), never copied to disk first.
root=$(mktemp -d "${TMPDIR:-/tmp}/pg-image.XXXXXX")
[ -n "$root" ] && [ "$root" != / ] || die "mktemp failed"
trap 'rm -rf "$root"' EXIT
chmod 0755 "$root" # becomes the image's `/`
host_paths=()       # relative to /, with canonical directory components

# Mirror the host's merged-/usr symlinks (/lib -> usr/lib ...) so that the
# paths ldd prints and the loader path baked into the binaries resolve.
for d in bin sbin lib lib32 lib64 libx32; do
    if [ -L "/$d" ]; then
        ln -s "$(readlink "/$d")" "$root/$d"
    fi
done

declare -A canonical_dir=() seen=()
# Adds an absolute host path; a symlink is added as a symlink, and its target
# (to the end of the chain) is added too.
add_path() {
    local p="$1" dir base target
    while :; do
        dir="${p%/*}"
        base="${p##*/}"
        if [ -z "${canonical_dir[$dir]+x}" ]; then
            canonical_dir[$dir]=$(realpath -e "${dir:-/}") || die "missing $dir"
        fi
        p="${canonical_dir[$dir]%/}/$base"
        [ -z "${seen[$p]+x}" ] || return 0
        seen[$p]=1
        [ -e "$p" ] || [ -L "$p" ] || die "missing $p"
        host_paths+=("${p#/}")
        [ -L "$p" ] || return 0
        target=$(readlink "$p")
        case "$target" in
            /*) p="$target" ;;
            *) p="${p%/*}/$target" ;;
        esac
    done
}

# Every library (and the loader) ldd lists for the given files; scripts and
# static binaries list nothing.
add_libs() {
    local lib rest
    while read -r lib rest; do
        [ "$lib" != NOTFOUND ] || die "ldd: $rest not found"
        add_path "$lib"
    done < <({ ldd "$@" 2>/dev/null || true; } | awk '
            /=> not found/ { print "NOTFOUND " $1; next }
            /=> \// { print $3; next }
            /^[ \t]+\// { print $1 }' | sort -u)
}

# PostgreSQL itself, without the LLVM JIT (bitcode and llvmjit*.so pull in
# libLLVM, ~100 MB; the server runs fine without them, jit just stays off).
excludes=(
    --exclude="${PG_LIB#/}/lib/bitcode"
    --exclude="${PG_LIB#/}/lib/llvmjit*"
    --exclude="${PG_SHARE#/}/man"
    --exclude=usr/share/zoneinfo/right
)
add_path "$PG_LIB"
add_path "$PG_SHARE"
modules=()
for f in "$PG_LIB"/lib/*.so; do
    case "${f##*/}" in llvmjit*) ;; *) modules+=("$f") ;; esac
done
add_libs "$PG_LIB"/bin/* "${modules[@]}"

# /bin/sh: a static busybox when installed (busybox-static), else dash.
mkdir -p "$root/usr/bin"
if [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; then
    busybox=$(realpath /bin/busybox)
    add_path "$busybox"
    for applet in sh ls cat env ps; do
        ln -s "$busybox" "$root/usr/bin/$applet"
    done
    shell=busybox
else
    sh_bin=$(realpath "$(command -v dash || true)")
    [ -x "$sh_bin" ] || die "need busybox-static or dash for /bin/sh"
    add_path "$sh_bin"
    add_libs "$sh_bin"
    ln -s "$sh_bin" "$root/usr/bin/sh"
    shell=dash
fi
if [ ! -L "$root/bin" ]; then
    mkdir -p "$root/bin"
    ln -s ../usr/bin/sh "$root/bin/sh"
fi

# Locale data for --locale=C.UTF-8: glibc >= 2.35 knows C.UTF-8 but still
# loads it from /usr/lib/locale/C.utf8 (without it initdb fails with
# `invalid locale name "C.UTF-8"`; checked by hiding the directory).
if [ -d /usr/lib/locale/C.utf8 ]; then
    add_path /usr/lib/locale/C.utf8
    locale="--locale=C.UTF-8"
else
    locale="--locale=C"
fi
# Time zones: Debian's PostgreSQL reads the system tzdata.
if [ -d /usr/share/zoneinfo ]; then
    add_path /usr/share/zoneinfo
fi

# Users, and the directories the server writes to (all under $root).
mkdir -p "$root/etc" "$root/tmp" "$root/var/lib/postgresql" "$root/var/run/postgresql" \
    "$root/dev" "$root/proc" "$root/sys" "$root/root"
chmod 1777 "$root/tmp"
printf '%s\n' \
    "root:x:0:0:root:/root:/bin/sh" \
    "postgres:x:$PG_UID:$PG_GID:PostgreSQL:/var/lib/postgresql:/bin/sh" \
    "nobody:x:65534:65534:nobody:/nonexistent:/bin/sh" >"$root/etc/passwd"
printf '%s\n' "root:x:0:" "postgres:x:$PG_GID:" "nogroup:x:65534:" >"$root/etc/group"
printf '%s\n' "passwd: files" "group: files" "hosts: files dns" >"$root/etc/nsswitch.conf"
chown "$PG_UID:$PG_GID" "$root/var/lib/postgresql" "$root/var/run/postgresql"
chmod 2775 "$root/var/run/postgresql"

printf '%s\n' \
    '#!/bin/sh' \
    '# initdb on first start, then the server with the container'"'"'s arguments.' \
    'set -e' \
    'if [ "${1:-}" = postgres ]; then shift; fi' \
    'PGDATA="${PGDATA:-/var/lib/postgresql/data}"' \
    'if [ ! -s "$PGDATA/PG_VERSION" ]; then' \
    "    initdb -D \"\$PGDATA\" -E UTF8 $locale --no-sync -A trust -U postgres --no-instructions >/dev/null" \
    'fi' \
    'exec postgres -D "$PGDATA" "$@"' >"$root/docker-entrypoint.sh"
chmod 0755 "$root/docker-entrypoint.sh"

# The staged files first (they give /, /etc, /tmp, /var ... their modes),
# then the host's files, owned by root as on the host.
previous=$(docker image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)
tar --numeric-owner -cf - -C "$root" . -C / "${excludes[@]}" "${host_paths[@]}" |
    docker import \
        --change 'ENTRYPOINT ["/docker-entrypoint.sh"]' \
        --change 'CMD ["postgres"]' \
        --change "USER postgres" \
        --change "ENV PATH=$PG_LIB/bin:/usr/bin:/bin" \
        --change "ENV PGDATA=/var/lib/postgresql/data" \
        --change "ENV LANG=C.UTF-8" \
        --change "ENV TZ=Etc/UTC" \
        - "$IMAGE" >/dev/null
# A rebuild leaves the previous image untagged: remove it unless in use.
if [ -n "$previous" ] && [ "$previous" != "$(docker image inspect --format '{{.Id}}' "$IMAGE")" ]; then
    docker rmi "$previous" >/dev/null 2>&1 || true
fi

size=$(docker image inspect --format '{{.Size}}' "$IMAGE")
elapsed=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
echo "build-pg-image: $IMAGE from $PG_LIB ($shell, $locale): $((size / 1000000)) MB in ${elapsed} s" >&2
echo "$IMAGE"
