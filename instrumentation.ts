// Next.js calls register() once per server process before it serves requests.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { bootOrExit } = await import("./lib/boot/boot");
    await bootOrExit();
  }
}
