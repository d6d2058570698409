import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A believable public catalog for the README's screenshots, served on loopback in the
 * OpenNebula marketplace protocol (`/appliance`), with a logo per appliance (`/logos/<slug>.svg`)
 * and one small disk (`/files/disk.raw`) for an image the screenshots import by URL. The
 * appliances' own files are never downloaded: the catalog shows them, nobody imports them.
 */

interface Product {
  name: string;
  version: string;
  publisher: string;
  summary: string;
  tags: string[];
  /** size of the disk in MiB */
  mib: number;
  /** logo: background colour and the letters on it */
  color: string;
  letters: string;
  arch?: "x86_64" | "aarch64";
  format?: "qcow2" | "raw";
}

const OS = "OpenNebula Systems";
/** Newest first: the portal's catalog sorted by "Newest" shows them in this order. */
const PRODUCTS: Product[] = [
  {
    name: "WordPress",
    version: "6.7.1",
    publisher: OS,
    summary: "WordPress on Ubuntu 24.04 with Nginx, PHP-FPM and MariaDB, configured on first boot.",
    tags: ["web", "cms", "php", "service"],
    mib: 3_420,
    color: "#21759b",
    letters: "W",
  },
  {
    name: "Ubuntu 24.04 LTS",
    version: "6.10.0-3-20250112",
    publisher: OS,
    summary: "Ubuntu Server 24.04 LTS (Noble Numbat) with the OpenNebula contextualization packages.",
    tags: ["ubuntu", "linux", "lts", "cloud-init"],
    mib: 2_180,
    color: "#e95420",
    letters: "U",
  },
  {
    name: "Kubernetes 1.31 (OneKE)",
    version: "1.31.3",
    publisher: OS,
    summary: "A CNCF-certified Kubernetes node: control plane or worker, joined through OneFlow.",
    tags: ["k8s", "containers", "oneke", "service"],
    mib: 5_120,
    color: "#326ce5",
    letters: "K8s",
  },
  {
    name: "PostgreSQL 17",
    version: "17.2",
    publisher: "Database Team",
    summary: "PostgreSQL 17 on Debian 12, tuned for the VM's memory, with pgBackRest for backups.",
    tags: ["database", "postgres", "sql"],
    mib: 1_640,
    color: "#336791",
    letters: "Pg",
  },
  {
    name: "Nextcloud Hub 9",
    version: "30.0.4",
    publisher: "Collaboration Team",
    summary: "Nextcloud Hub with Collabora Online, Talk and the calendar, behind a Let's Encrypt certificate.",
    tags: ["storage", "web", "office", "sync"],
    mib: 2_860,
    color: "#0082c9",
    letters: "N",
  },
  {
    name: "Debian 12 (Bookworm)",
    version: "12.8-20250105",
    publisher: OS,
    summary: "Debian 12 generic cloud image with contextualization, ready for KVM.",
    tags: ["debian", "linux", "cloud-init"],
    mib: 1_020,
    color: "#a80030",
    letters: "D",
  },
  {
    name: "GitLab Community Edition",
    version: "17.7.0",
    publisher: "DevOps Team",
    summary: "GitLab CE with the container registry and a shared runner, configured from the VM's context.",
    tags: ["devops", "git", "ci", "registry"],
    mib: 4_750,
    color: "#fc6d26",
    letters: "GL",
  },
  {
    name: "AlmaLinux 9",
    version: "9.5-20250102",
    publisher: OS,
    summary: "AlmaLinux 9, a RHEL-compatible server with SELinux enforcing and contextualization.",
    tags: ["alma", "linux", "rhel", "selinux"],
    mib: 1_210,
    color: "#0f4266",
    letters: "A",
  },
  {
    name: "Grafana + Prometheus",
    version: "11.4.0",
    publisher: "Observability Team",
    summary: "Prometheus, Alertmanager and Grafana with dashboards for OpenNebula hosts and VMs.",
    tags: ["monitoring", "metrics", "dashboards"],
    mib: 1_890,
    color: "#f46800",
    letters: "G",
  },
  {
    name: "Rocky Linux 9",
    version: "9.5-20241130",
    publisher: OS,
    summary: "Rocky Linux 9 generic cloud image, RHEL-compatible, with the contextualization packages.",
    tags: ["rocky", "linux", "rhel"],
    mib: 1_180,
    color: "#10b981",
    letters: "R",
  },
  {
    name: "Docker CE host",
    version: "27.4.1",
    publisher: "Platform Team",
    summary: "Docker Engine and Compose on Ubuntu 24.04, with the daemon's TLS keys from the context.",
    tags: ["docker", "containers", "compose"],
    mib: 2_340,
    color: "#1d63ed",
    letters: "Dk",
  },
  {
    name: "Alpine Linux 3.21",
    version: "3.21.0",
    publisher: OS,
    summary: "A minimal Alpine Linux image: 60 MiB of disk, boots in under two seconds.",
    tags: ["alpine", "linux", "minimal"],
    mib: 62,
    color: "#0d597f",
    letters: "Al",
  },
  {
    name: "MinIO object storage",
    version: "2024.12.18",
    publisher: "Storage Team",
    summary: "MinIO with erasure coding over the VM's disks: an S3-compatible bucket store.",
    tags: ["storage", "s3", "objects"],
    mib: 980,
    color: "#c72c48",
    letters: "M",
  },
  {
    name: "Ubuntu 24.04 LTS (arm64)",
    version: "6.10.0-3-20250112",
    publisher: OS,
    summary: "Ubuntu Server 24.04 LTS for 64-bit ARM hosts, with UEFI boot.",
    tags: ["ubuntu", "linux", "lts", "arm64"],
    mib: 2_050,
    color: "#e95420",
    letters: "U",
    arch: "aarch64",
  },
  {
    name: "JupyterHub",
    version: "5.2.1",
    publisher: "Research Computing",
    summary: "JupyterHub with Python 3.12, R and Julia kernels, for teaching and research groups.",
    tags: ["ml", "python", "notebook", "research"],
    mib: 6_300,
    color: "#f37626",
    letters: "J",
  },
  {
    name: "Jenkins LTS",
    version: "2.479.2",
    publisher: "DevOps Team",
    summary: "Jenkins LTS with the Pipeline, Git and Docker plugins, and agents started in VMs.",
    tags: ["ci", "devops", "java"],
    mib: 1_560,
    color: "#d33833",
    letters: "Je",
  },
  {
    name: "MariaDB 11.4 LTS",
    version: "11.4.4",
    publisher: "Database Team",
    summary: "MariaDB 11.4 on Rocky Linux 9 with Galera ready for a three-node cluster.",
    tags: ["database", "mysql", "galera"],
    mib: 1_320,
    color: "#003545",
    letters: "Ma",
  },
  {
    name: "Redis 7.4",
    version: "7.4.1",
    publisher: "Database Team",
    summary: "Redis 7.4 on Alpine Linux, with persistence and a password from the context.",
    tags: ["database", "cache", "key-value"],
    mib: 310,
    color: "#dc382d",
    letters: "Re",
  },
  {
    name: "HashiCorp Vault",
    version: "1.18.3",
    publisher: "Security Team",
    summary: "Vault with the Raft storage backend and auto-unseal from the VM's context.",
    tags: ["security", "secrets", "pki"],
    mib: 720,
    color: "#000000",
    letters: "V",
  },
  {
    name: "Fedora Server 41",
    version: "41-1.4",
    publisher: OS,
    summary: "Fedora Server 41 with Cockpit for browser-based administration.",
    tags: ["fedora", "linux"],
    mib: 1_410,
    color: "#51a2da",
    letters: "F",
  },
  {
    name: "CUDA 12.6 workstation",
    version: "12.6.3",
    publisher: "Research Computing",
    summary: "NVIDIA drivers, CUDA 12.6, cuDNN and PyTorch on Ubuntu 22.04, for GPU passthrough hosts.",
    tags: ["ml", "gpu", "cuda", "pytorch"],
    mib: 12_400,
    color: "#76b900",
    letters: "Cu",
  },
  {
    name: "Keycloak",
    version: "26.0.7",
    publisher: "Security Team",
    summary: "Keycloak single sign-on with a PostgreSQL database, OpenID Connect and SAML.",
    tags: ["security", "sso", "identity"],
    mib: 1_150,
    color: "#4d4d4d",
    letters: "Kc",
  },
  {
    name: "openSUSE Leap 15.6",
    version: "15.6-20241210",
    publisher: OS,
    summary: "openSUSE Leap 15.6 minimal VM image with cloud-init.",
    tags: ["opensuse", "linux"],
    mib: 890,
    color: "#73ba25",
    letters: "oS",
  },
  {
    name: "Harbor registry",
    version: "2.12.1",
    publisher: "Platform Team",
    summary: "Harbor container registry with vulnerability scanning and replication.",
    tags: ["containers", "registry", "security"],
    mib: 2_740,
    color: "#60b932",
    letters: "H",
  },
  {
    name: "Debian 11 (Bullseye)",
    version: "11.11-20241110",
    publisher: OS,
    summary: "Debian 11 generic cloud image with contextualization (long-term support).",
    tags: ["debian", "linux", "lts"],
    mib: 980,
    color: "#a80030",
    letters: "D",
  },
  {
    name: "FreeBSD 14.2",
    version: "14.2-RELEASE",
    publisher: "Community",
    summary: "FreeBSD 14.2 on ZFS, with the OpenNebula contextualization from ports.",
    tags: ["freebsd", "bsd", "zfs"],
    mib: 1_700,
    color: "#ab2b28",
    letters: "Fb",
    format: "raw",
  },
  {
    name: "Nginx web server",
    version: "1.27.3",
    publisher: "Platform Team",
    summary: "Nginx as a reverse proxy with certificates renewed by certbot.",
    tags: ["web", "proxy", "tls"],
    mib: 420,
    color: "#009639",
    letters: "Nx",
  },
  {
    name: "AlmaLinux 8",
    version: "8.10-20241020",
    publisher: OS,
    summary: "AlmaLinux 8, RHEL 8 compatible, for software that still needs it.",
    tags: ["alma", "linux", "rhel"],
    mib: 1_090,
    color: "#0f4266",
    letters: "A",
  },
  {
    name: "Ubuntu 22.04 LTS",
    version: "6.10.0-3-20241201",
    publisher: OS,
    summary: "Ubuntu Server 22.04 LTS (Jammy Jellyfish) with contextualization.",
    tags: ["ubuntu", "linux", "lts"],
    mib: 2_010,
    color: "#e95420",
    letters: "U",
  },
  {
    name: "Windows Server 2022 (evaluation)",
    version: "2022-21H2",
    publisher: "Windows Team",
    summary: "Windows Server 2022 Datacenter, 180-day evaluation, with the VirtIO drivers installed.",
    tags: ["windows", "evaluation", "virtio"],
    mib: 9_800,
    color: "#0078d4",
    letters: "Win",
  },
];

const MiB = 1024 * 1024;

/** A square logo: the product's letters on its colour. */
function logoSvg(p: Product): string {
  const size = p.letters.length > 2 ? 30 : p.letters.length > 1 ? 36 : 48;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96">
<rect width="96" height="96" rx="22" fill="${p.color}"/>
<text x="48" y="50" dominant-baseline="middle" text-anchor="middle" font-family="Helvetica, Arial, sans-serif"
 font-weight="700" font-size="${size}" fill="#fff">${p.letters}</text></svg>`;
}

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
const oid = (n: number) => `6761a0c2e4b0a1b2c3d4${n.toString(16).padStart(4, "0")}`;

function appliances(now: number) {
  return PRODUCTS.map((p, i) => ({
    _id: { $oid: oid(i + 1) },
    name: p.name,
    version: p.version,
    publisher: p.publisher,
    short_description: p.summary,
    description: `# ${p.name}\n\n${p.summary}`,
    tags: p.tags,
    format: p.format ?? "qcow2",
    "os-arch": p.arch ?? "x86_64",
    hypervisor: "KVM",
    // newest first, a few days apart
    creation_time: Math.floor(now / 1000) - i * 3 * 86_400,
    logo: `/logos/${slug(p.name)}.svg`,
    opennebula_template: JSON.stringify({ CPU: "1", MEMORY: "2048", CONTEXT: { NETWORK: "YES", SSH_PUBLIC_KEY: "" } }),
    files: [{ name: `${slug(p.name)}.${p.format ?? "qcow2"}`, type: "OS", size: p.mib * MiB }],
  }));
}

export interface ScreenshotCatalog {
  url: string;
  /** how many apps the catalog offers */
  count: number;
  close(): Promise<void>;
}

export async function startScreenshotCatalog(): Promise<ScreenshotCatalog> {
  // a sync stores the apps in the catalog's order, all at one time: "Newest" then shows the last
  // ones first, so the catalog lists its newest last
  const list = appliances(Date.now()).reverse();
  const logos = new Map(PRODUCTS.map((p) => [`/logos/${slug(p.name)}.svg`, logoSvg(p)]));
  const disk = randomBytes(4 * MiB);
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://catalog").pathname;
    if (path === "/appliance" || path === "/appliance/")
      return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ appliances: list }));
    const logo = logos.get(path);
    if (logo) return res.writeHead(200, { "content-type": "image/svg+xml" }).end(logo);
    if (path === "/files/disk.raw") return res.writeHead(200, { "content-type": "application/octet-stream" }).end(disk);
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: list.length,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
