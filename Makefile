# xvs: an XDP re-implementation of the Linux Virtual Server.
#   make            build build/xvsd and build/xvsadm
#   make check      install dependencies, build, run every test level
#   make demo       install dependencies, build, run the namespace demo
#   make bench      benchmarks (not part of check): docs/benchmarks.md
#   make install    install binaries and man pages under $(PREFIX)
# V=1 shows full command lines.

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man

CC ?= cc
CLANG ?= clang
BPFTOOL ?= bpftool
B := build

CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -Wall -Wextra -Werror -Icore -I$(B)
LDLIBS_BPF := -lbpf -lelf -lz
LDLIBS_TLS := -lssl -lcrypto
BPF_CFLAGS := -O2 -g -target bpf -mcpu=v3 -Wall -Werror -Icore \
	-I/usr/include/$(shell uname -m)-linux-gnu

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-6s %s\n' $(1) $(2);
endif

CORE_SRC := $(wildcard core/*.c)
CORE_OBJ := $(CORE_SRC:%.c=$(B)/%.o)
CLI_SRC := $(wildcard cli/*.c)
# The daemon: its core files, the keepalived.conf reader (daemon/conf) and
# the health checkers (daemon/check).
DAEMON_SRC := $(wildcard daemon/*.c daemon/conf/*.c daemon/check/*.c)
CONF_SRC := $(wildcard daemon/conf/*.c)
DECAP_SRC := $(wildcard decap/*.c)
BPF_SRC := $(wildcard bpf/*.bpf.c)
BPF_OBJ := $(BPF_SRC:%.bpf.c=$(B)/%.bpf.o)
SKELS := $(BPF_SRC:bpf/%.bpf.c=$(B)/%.skel.h)
HDRS := $(wildcard core/*.h bpf/*.h daemon/*.h daemon/*/*.h cli/*.h decap/*.h \
	tests/*/*.h)
UNIT_SRC := $(wildcard tests/unit/*.c)
BPFTEST_SRC := $(wildcard tests/bpf/*.c)
TOOL_BPF_SRC := $(wildcard tests/tools/*.bpf.c)
TOOL_BPF_OBJ := $(TOOL_BPF_SRC:%.bpf.c=$(B)/%.bpf.o)

.PHONY: all deps check test demo install clean fmt fuzz bench bench-bins
.SECONDARY:
all: $(B)/xvsd $(B)/xvsadm $(B)/xvs-decap

deps:
	$(Q)sh tools/install-deps.sh

$(B)/%.o: %.c $(HDRS) $(SKELS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(B)/libxvscore.a: $(CORE_OBJ)
	$(call msg,AR,$@)
	$(Q)ar rcs $@ $^

$(B)/%.bpf.o: %.bpf.c $(HDRS)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(B)/%.skel.h: $(B)/bpf/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*) > $@

$(B)/xvsadm: $(CLI_SRC:%.c=$(B)/%.o) $(B)/libxvscore.a
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@

$(B)/daemon/%.o: CFLAGS += -Idaemon
$(B)/xvsd: $(DAEMON_SRC:%.c=$(B)/%.o) $(B)/libxvscore.a
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS_BPF) $(LDLIBS_TLS)

# The real-server side of VS/TUN: tc decapsulation and its tool.
$(B)/xvs-decap: $(DECAP_SRC:%.c=$(B)/%.o)
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS_BPF)

# Unit tests also cover the configuration reader and the health checks
# (with the event loop and the children they run on).
CHECK_SRC := $(wildcard daemon/check/*.c) daemon/child.c daemon/loop.c
$(B)/tests/unit/%.o: CFLAGS += -Idaemon
$(B)/tests/unit_tests: $(UNIT_SRC:%.c=$(B)/%.o) $(CONF_SRC:%.c=$(B)/%.o) \
		$(B)/daemon/cluster_plan.o \
		$(CHECK_SRC:%.c=$(B)/%.o) $(B)/libxvscore.a
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS_TLS) -lpthread

# BPF tests program the data plane through the daemon's own module.
$(B)/tests/bpf/%.o: CFLAGS += -Idaemon
$(B)/tests/bpf_tests: $(BPFTEST_SRC:%.c=$(B)/%.o) $(B)/tests/unit/main.o \
		$(B)/daemon/dataplane.o $(B)/daemon/sweep.o $(B)/daemon/log.o \
		$(B)/daemon/marks.o \
		$(B)/libxvscore.a
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS_BPF)

TEST_BINS := $(B)/tests/unit_tests $(B)/tests/bpf_tests $(TOOL_BPF_OBJ)

# The README's test command: dependencies, build, then every level.
check: deps
	$(Q)$(MAKE) --no-print-directory all $(TEST_BINS)
	$(Q)bash tests/run.sh

# Without installing dependencies (for a machine that has them).
test: all $(TEST_BINS)
	$(Q)bash tests/run.sh

demo: deps
	$(Q)$(MAKE) --no-print-directory all $(TOOL_BPF_OBJ)
	$(Q)bash demo/demo.sh

# Benchmarks: bench/run.sh installs bench/install-deps.sh's packages, builds
# bench-bins, runs every part and writes docs/benchmarks.md; QUICK=1 for a
# smoke run into build/bench/. Each part adds what it builds with
# `BENCH_BINS += ...` anywhere in this file (read when bench-bins runs).
bench: deps
	$(Q)bash bench/run.sh

bench-bins: all $(TOOL_BPF_OBJ)
	$(Q)$(if $(strip $(BENCH_BINS)),$(MAKE) --no-print-directory $(BENCH_BINS))

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8
	install -m 0755 $(B)/xvsd $(B)/xvsadm $(B)/xvs-decap \
		$(DESTDIR)$(SBINDIR)/
	install -m 0644 man/*.8 $(DESTDIR)$(MANDIR)/man8/

# End-to-end benchmark (bench/e2e): the SYN flood generator; its XDP
# reference build/bench/bpf/hashfwd.bpf.o comes from the %.bpf.o rule.
BENCH_BINS += $(B)/bench/synflood $(B)/bench/bpf/hashfwd.bpf.o
$(B)/bench/synflood: $(B)/bench/e2e/synflood.o
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@

# libFuzzer targets, one per parser (fuzz/*.c), each run FUZZ_SECONDS.
FUZZ_SRC := $(wildcard fuzz/*.c)
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=$(B)/fuzz/%)
FUZZ_SECONDS ?= 30

$(B)/fuzz/%: fuzz/%.c $(CORE_SRC) $(CONF_SRC) $(HDRS)
	$(call msg,FUZZ,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined -Icore -Idaemon \
		$< $(CORE_SRC) $(CONF_SRC) -o $@

fuzz: $(FUZZ_BIN)
	$(Q)for f in $(FUZZ_BIN); do \
		mkdir -p $(B)/fuzz/corpus-$${f##*/}; \
		$$f -max_total_time=$(FUZZ_SECONDS) $(B)/fuzz/corpus-$${f##*/} \
			2>&1 | tail -n 2 || exit 1; \
	done

# Skeletons of bench-only BPF programs (bench/bpf).
$(B)/bench/%.skel.h: $(B)/bench/bpf/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*) > $@

# bench/pkt: per-packet cost and the connection table under
# BPF_PROG_TEST_RUN, on the BPF tests' director (make bench, not all).
BENCH_BINS += $(B)/bench/pktbench
BENCH_PKT_SRC := $(wildcard bench/pkt/*.c)
BENCH_PKT_OBJ := $(BENCH_PKT_SRC:%.c=$(B)/%.o)
BENCH_PKT_BPF := $(B)/bench/bpf/harness.bpf.o $(B)/bench/bpf/xdp_tx_floor.bpf.o
BENCH_PKT_SKELS := $(B)/bench/harness.skel.h $(B)/bench/xdp_tx_floor.skel.h
$(BENCH_PKT_BPF): bench/bpf/harness.h
$(BENCH_PKT_OBJ): CFLAGS += -Idaemon -Itests/bpf -Ibench/bpf
$(BENCH_PKT_OBJ): $(BENCH_PKT_SKELS) $(wildcard bench/pkt/*.h bench/bpf/*.h)
$(B)/bench/pktbench: $(BENCH_PKT_OBJ) $(B)/tests/bpf/director.o \
		$(B)/tests/bpf/pkt.o $(B)/daemon/dataplane.o $(B)/libxvscore.a
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS_BPF)

fmt:
	clang-format -i $(CORE_SRC) $(CLI_SRC) $(DAEMON_SRC) $(BPF_SRC) $(HDRS)

clean:
	rm -rf $(B)
