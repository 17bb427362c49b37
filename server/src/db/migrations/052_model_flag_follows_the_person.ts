import { sql, type Kysely } from 'kysely';

/**
 * The roll's 劳模 flag on a new membership is a fact about the person (decision 033, note of 052).
 * Migration 048's trigger flagged a new membership only from a register entry whose contact union covers
 * the new union, also for entries already linked to the person: a 劳模 registered (and linked) by 东台
 * who transferred to a union in 射阳 lost the flag — until the next register write for them, whose sync
 * (`models.service` syncRoll → `members.setModelWorker`) asks "does any entry of this person hold a 劳模
 * honour", unscoped, and set it again. The flag now follows that same rule at insert: any entry linked to
 * the person. Linking an unlinked entry (by ID number) stays scoped to the entry's contact union, so
 * another county's entry still reaches, links and flags nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function model_people_follow_new_memberships() returns trigger language plpgsql as $$
    begin
      if not exists (select 1 from model_people where id_bidx is not null and person_id is null limit 1)
         and not exists (select 1 from model_people mp join new_rows n on n.person_id = mp.person_id limit 1) then
        return null;
      end if;
      update model_people mp set person_id = x.person_id
        from (select distinct on (e.id) e.id, n.person_id
                from new_rows n join people p on p.id = n.person_id
                join model_people e on e.id_bidx = p.id_bidx and e.person_id is null
                join orgs o on o.id = e.org_id
               where n.status in ('active', 'retained') and starts_with(n.org_path, o.path)
               order by e.id, n.id desc) x
       where mp.id = x.id;
      update memberships m set is_model_worker = true
        from new_rows n
       where m.id = n.id and not n.is_model_worker and n.status in ('active', 'retained')
         and exists (select 1 from model_people e join model_honours h on h.model_person_id = e.id
                      where e.person_id = n.person_id
                        and h.kind in ('national_model', 'provincial_model', 'city_model'));
      return null;
    end $$`.execute(db);
}
