"use client";
export { default } from "@/components/SectionError";
