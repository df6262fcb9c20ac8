import { actorOf, withPrincipal } from "@/lib/auth/principal";
import { recordAudit } from "@/lib/audit/trail";
import { t, type MessageKey } from "@/lib/i18n";
import { addFindingAttachment, AuditError, getFinding } from "@/reports/audit/workflow";

export const runtime = "nodejs";

/** POST multipart (file) — attaches evidence to a finding; browsers go back to the finding (303). */
export const POST = withPrincipal<{ params: Promise<{ id: string }> }>(async (req, principal, { params }) => {
  const { id } = await params;
  const actor = await actorOf(principal);
  const { finding } = await getFinding(actor, id);
  const back = (error?: string) => {
    const url = new URL(`/audits/${finding.engagementId}/${finding.organizationId}`, req.url);
    if (error) url.searchParams.set("error", error);
    url.hash = `finding-${finding.number}`;
    return Response.redirect(url, 303);
  };
  const file = (await req.formData()).get("file");
  if (!(file instanceof File) || !file.name) return back(t("audit.error.file_empty"));
  try {
    const att = await addFindingAttachment(actor, id, { name: file.name, bytes: Buffer.from(await file.arrayBuffer()) });
    await recordAudit({ actorId: actor.id, actorLogin: actor.login, action: "audit_attachment_add", target: att.id, details: { finding: id, sha256: att.sha256 } });
    return back();
  } catch (e) {
    if (e instanceof AuditError) return back(`${t(`audit.error.${e.code}` as MessageKey)}（${e.message}）`);
    throw e;
  }
});
