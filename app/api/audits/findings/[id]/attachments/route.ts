import { recordAudit } from "@/lib/audit/trail";
import { principalOf, withScope } from "@/lib/auth/route";
import { t, type MessageKey } from "@/lib/i18n";
import { AuditError, getFinding, receiveFindingAttachmentUpload } from "@/domain/audits/workflow";

export const runtime = "nodejs";

/**
 * POST multipart (file) — attaches evidence to a finding; browsers go back to
 * the finding (303). Permission first, then the size limit on the declared
 * length and while the body streams (receiveFindingAttachmentUpload). A body
 * over the limit is answered 413 without being read further.
 */
export const POST = withScope<{ params: Promise<{ id: string }> }>(async (req, scope, { params }) => {
  const { id } = await params;
  const actor = principalOf(scope);
  const { finding } = await getFinding(actor, id); // 403 before anything of the body is read
  const back = (error?: string, status = 303) => {
    const url = new URL(`/audits/${finding.engagementId}/${finding.organizationId}`, req.url);
    if (error) url.searchParams.set("error", error);
    url.hash = `finding-${finding.number}`;
    return status === 303 ? Response.redirect(url, 303) : Response.json({ error }, { status });
  };
  try {
    const { attachment: att } = await receiveFindingAttachmentUpload(actor, id, req);
    await recordAudit({
      actorId: actor.id,
      actorLogin: actor.login,
      action: "audit_attachment_add",
      target: att.id,
      details: { finding: id, sha256: att.sha256 },
    });
    return back();
  } catch (e) {
    if (!(e instanceof AuditError)) throw e;
    const error = `${t(`audit.error.${e.code}` as MessageKey)}（${e.message}）`;
    return e.code === "file_too_large" ? back(error, 413) : back(error);
  }
});
