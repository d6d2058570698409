import type { Metadata } from "next";
import { Suspense } from "react";
import { ImagesList } from "@/components/images/images-list";

export const metadata: Metadata = { title: "Images" };

export default function ImagesPage() {
  return (
    <Suspense>
      <ImagesList />
    </Suspense>
  );
}
