import { cache } from "react";
import { organizationNames } from "@/domain/registry/organizations";

/** The organisation table, read once per request however many names a page shows. */
const names = cache(organizationNames);

/** An organisation as users know it: its name, with the 6-digit code on hover (the code alone when unknown). */
export async function OrgName({ code }: { code: string | null | undefined }) {
  if (!code) return null;
  const name = (await names()).get(code);
  return name ? (
    <span className="org" title={code} data-code={code}>
      {name}
    </span>
  ) : (
    <span className="org mono" data-code={code}>
      {code}
    </span>
  );
}

/** The organisation names of a request, for plain-text uses (option labels, CSV, titles). */
export const organizationNameMap = names;
