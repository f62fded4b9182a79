-- Flag and plan changes are recorded in the kit's audit_log (service-kit AuditLog, published on audit.v1) like every
-- other admin action on the platform. The entries written before move there, in its form: action <target>.<verb>,
-- target flag:<key>, the evidence of an automatic decision inside after. They are not published again.
insert into audit_log (id, action, target_type, target_id, actor, actor_key_id, reason, before, after, at)
select gen_random_uuid(), 'flag.' || replace(lower(action), '_', '-'), 'flag', flag_key, actor, null, reason, before,
       case when evidence is null then after else after || jsonb_build_object('evidence', evidence) end, at
from flag_audit;

drop table flag_audit;
