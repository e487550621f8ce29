import { mkdirSync, readlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyAlternatives, parseAlternatives } from "../src/integration/alternatives.js";
import { tempDir } from "./helpers.js";

// Real postinst scripts (Debian 12 and 13), trimmed to what matters.
const NETCAT = `#!/bin/sh
set -e
if [ "$1" = "configure" ]; then
    update-alternatives \\
        --install /bin/nc nc /bin/nc.openbsd 50 \\
        --slave /bin/netcat netcat /bin/nc.openbsd \\
        --slave /usr/share/man/man1/nc.1.gz nc.1.gz \\
                /usr/share/man/man1/nc_openbsd.1.gz
fi
exit 0
`;

const LIBBLAS = `#!/bin/sh
set -e
update-alternatives --install /usr/lib/x86_64-linux-gnu/libblas.so.3 \\
                    libblas.so.3-x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/blas/libblas.so.3 10
exit 0
`;

function file(root: string, rel: string, content = "x"): void {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), content);
}

describe("parseAlternatives", () => {
  it("reads --install with its slaves across continuation lines", () => {
    const { installs, unresolved } = parseAlternatives("netcat-openbsd", NETCAT);
    expect(unresolved).toEqual([]);
    expect(installs).toEqual([
      {
        pkg: "netcat-openbsd",
        link: "/bin/nc",
        name: "nc",
        path: "/bin/nc.openbsd",
        priority: 50,
        slaves: [
          { link: "/bin/netcat", name: "netcat", path: "/bin/nc.openbsd" },
          {
            link: "/usr/share/man/man1/nc.1.gz",
            name: "nc.1.gz",
            path: "/usr/share/man/man1/nc_openbsd.1.gz",
          },
        ],
      },
    ]);
  });

  it("substitutes plain assignments and quotes", () => {
    const script =
      'JVM=/usr/lib/jvm/x\nupdate-alternatives --quiet --install "/usr/bin/java" java "$JVM/bin/java" 1711\n';
    expect(parseAlternatives("jre", script).installs[0]).toMatchObject({
      link: "/usr/bin/java",
      path: "/usr/lib/jvm/x/bin/java",
      priority: 1711,
    });
  });

  it("reports what depends on command output or unknown values instead of guessing", () => {
    const script = [
      "for i in $(ls /usr/lib/jvm/x/bin); do",
      "  update-alternatives --install /usr/bin/$i $i /usr/lib/jvm/x/bin/$i 1711",
      "done",
      "update-alternatives --install /usr/bin/x x `pwd`/x 1",
      "update-alternatives --install /usr/bin/y y /usr/bin/y.real high",
      "update-alternatives --remove x /usr/bin/x.old",
    ].join("\n");
    const r = parseAlternatives("p", script);
    expect(r.installs).toEqual([]);
    expect(r.unresolved).toEqual([
      "update-alternatives --install /usr/bin/$i $i /usr/lib/jvm/x/bin/$i 1711",
      "update-alternatives --install /usr/bin/x x `pwd`/x 1",
      "update-alternatives --install /usr/bin/y y /usr/bin/y.real high",
    ]);
  });

  it("does not trust a variable assigned two different values", () => {
    const script = "D=/a\nD=/b\nupdate-alternatives --install /usr/bin/t t $D/t 1\n";
    expect(parseAlternatives("p", script).unresolved).toHaveLength(1);
  });
});

describe("applyAlternatives", () => {
  it("links commands and libraries into the layer, relatively, following usrmerge", () => {
    const root = tempDir();
    file(root, "usr/bin/nc.openbsd");
    file(root, "usr/lib/x86_64-linux-gnu/blas/libblas.so.3");
    const made = applyAlternatives(root, [
      ...parseAlternatives("netcat-openbsd", NETCAT).installs,
      ...parseAlternatives("libblas3", LIBBLAS).installs,
    ]);
    expect(made).toEqual([
      {
        pkg: "libblas3",
        link: "usr/lib/x86_64-linux-gnu/libblas.so.3",
        target: "usr/lib/x86_64-linux-gnu/blas/libblas.so.3",
      },
      { pkg: "netcat-openbsd", link: "bin/nc", target: "usr/bin/nc.openbsd" },
      { pkg: "netcat-openbsd", link: "bin/netcat", target: "usr/bin/nc.openbsd" },
    ]);
    expect(readlinkSync(join(root, "bin/nc"))).toBe("../usr/bin/nc.openbsd");
    expect(readlinkSync(join(root, "usr/lib/x86_64-linux-gnu/libblas.so.3"))).toBe("blas/libblas.so.3");
  });

  it("picks the highest priority among providers the layer has, and keeps what the layer already holds", () => {
    const root = tempDir();
    file(root, "usr/bin/gawk");
    file(root, "usr/bin/mawk");
    file(root, "usr/bin/vi", "real vi");
    const alt = (pkg: string, path: string, priority: number, link = "/usr/bin/awk", name = "awk") => ({
      pkg,
      link,
      name,
      path,
      priority,
      slaves: [],
    });
    const made = applyAlternatives(root, [
      alt("mawk", "/usr/bin/mawk", 5),
      alt("gawk", "/usr/bin/gawk", 10),
      alt("original-awk", "/usr/bin/original-awk", 100),
      alt("nvi", "/usr/bin/nvi", 30, "/usr/bin/vi", "vi"),
    ]);
    expect(made).toEqual([{ pkg: "gawk", link: "usr/bin/awk", target: "usr/bin/gawk" }]);
  });
});

describe("parseAlternatives with loops", () => {
  it("unrolls ImageMagick's loop over its tools", () => {
    const script = `#!/bin/sh
set -e
if [ "$1" = "configure" ]
then
    for prog in compare convert; do
	if dpkg --compare-versions "$2" lt-nl "8:6.9.2.10+dfsg-3"; then
	    if  update-alternatives --list $prog > /dev/null 2>&1; then
		update-alternatives --remove-all $prog
	    fi
	fi
	update-alternatives --install /usr/bin/$prog \\
	                    $prog /usr/bin/$prog-im6.q16 10000 \\
	                    --slave /usr/share/man/man1/$prog.1.gz \\
	                    $prog.1.gz /usr/share/man/man1/$prog-im6.q16.1.gz
    done
fi
`;
    const r = parseAlternatives("imagemagick-6.q16", script);
    expect(r.unresolved).toEqual([]);
    expect(r.installs.map((a) => `${a.link} ${a.path} ${a.priority}`)).toEqual([
      "/usr/bin/compare /usr/bin/compare-im6.q16 10000",
      "/usr/bin/convert /usr/bin/convert-im6.q16 10000",
    ]);
  });

  it("follows OpenJDK's variables, its tool list and its optional man page slaves", () => {
    const script = `multiarch=x86_64-linux-gnu
priority=1711
basedir=/usr/lib/jvm/java-17-openjdk-amd64
mandir=$basedir/man
jre_tools='java keytool'
if [ "$update_alternatives" = y ]; then
    if [ -n "$multiarch" ] && [ "$DPKG_MAINTSCRIPT_ARCH" != $(dpkg --print-architecture) ]; then
	priority=$(expr $priority - 1)
    fi
    for i in $jre_tools; do
	unset slave1 slave2 || true
        if [ -e $mandir/man1/$i.$srcext ]; then
	    slave1="--slave \\
		/usr/share/man/man1/$i.$dstext \\
                $i.$dstext \\
                $mandir/man1/$i.$srcext"
	fi
        update-alternatives \\
            --install \\
            /usr/bin/$i \\
            $i \\
            $basedir/bin/$i \\
            $priority \\
	    $slave1 $slave2
    done
fi
`;
    const r = parseAlternatives("openjdk-17-jre-headless", script);
    expect(r.unresolved).toEqual([]);
    expect(r.installs.map((a) => `${a.link} ${a.path} ${a.priority} ${a.slaves.length}`)).toEqual([
      "/usr/bin/java /usr/lib/jvm/java-17-openjdk-amd64/bin/java 1711 0",
      "/usr/bin/keytool /usr/lib/jvm/java-17-openjdk-amd64/bin/keytool 1711 0",
    ]);
  });
});
