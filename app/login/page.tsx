import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { Center } from "@mantine/core";
import { LoginForm } from "@/components/auth/login-form";
import { getPageSession } from "@/lib/auth/page-session";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  if (await getPageSession()) redirect("/");
  const { next } = await searchParams;
  return (
    <Center mih="100vh" p="md">
      <LoginForm next={typeof next === "string" ? next : undefined} />
    </Center>
  );
}
