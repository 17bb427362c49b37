// The 入会 wizard's shared state: what the worker types on screen 2 (with its checks), and the
// union chosen on screen 1 (useJoinUnion.ts). JoinView creates both and provides them; the three
// step components inject them.
import { computed, inject, provide, reactive, type InjectionKey } from 'vue';
import { loginPhone, PHONE_PATTERN, session } from '../../session';
import { checkResidentId, EMPLOYMENT_FORMS } from '../../join';
import type { JoinUnion } from './useJoinUnion';

export type FieldKey = 'name' | 'idNumber' | 'phone' | 'employmentForm' | 'employerName' | 'education' | 'politicalStatus' | 'hukouType';

/** Where the server's field errors show on the form. */
export const SERVER_FIELD: Record<string, FieldKey> = {
  'person.name': 'name',
  'person.idNumber': 'idNumber',
  'person.idType': 'idNumber',
  'person.sex': 'idNumber',
  'person.birthDate': 'idNumber',
  'person.phone': 'phone',
  phone: 'phone',
  'person.education': 'education',
  'person.politicalStatus': 'politicalStatus',
  'person.hukouType': 'hukouType',
  'employment.employerName': 'employerName',
  'employment.employmentForm': 'employmentForm',
};

/** A hint before sending; the server decides by the day in China. */
function underSixteen(birthDate: string): boolean {
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  return `${Number(birthDate.slice(0, 4)) + 16}${birthDate.slice(4)}` > today;
}

export function useJoinForm() {
  const phoneKnown = loginPhone();
  const form = reactive({
    name: '',
    idNumber: '',
    phone: phoneKnown ?? '',
    employmentForm: 'standard',
    employerName: '',
    education: '',
    politicalStatus: '',
    hukouType: '' as '' | 'urban' | 'rural',
    isMigrantWorker: false,
  });
  const errors = reactive<Record<FieldKey, string>>({
    name: '',
    idNumber: '',
    phone: '',
    employmentForm: '',
    employerName: '',
    education: '',
    politicalStatus: '',
    hukouType: '',
  });

  const idCheck = computed(() => (form.idNumber.length >= 18 ? checkResidentId(form.idNumber) : null));
  const derived = computed(() => {
    const r = idCheck.value;
    if (!r || typeof r === 'string') return null;
    return { birthDate: r.birthDate, sex: r.sex === 'M' ? '男' : '女' };
  });
  const isGig = computed(() => EMPLOYMENT_FORMS.find((f) => f.value === form.employmentForm)?.gig ?? false);

  function validateForm(): boolean {
    const name = form.name.trim();
    errors.name = !name
      ? '请填写姓名'
      : /^[\u3400-\u9fff]+(·[\u3400-\u9fff]+)*$/.test(name) || /^[A-Za-z][A-Za-z .'-]{1,59}$/.test(name)
        ? ''
        : '姓名应为汉字（少数民族姓名可含“·”）或英文字母';
    if (!errors.name && /^[\u3400-\u9fff]/.test(name) && name.length < 2) errors.name = '姓名至少 2 个字';
    const id = form.idNumber ? checkResidentId(form.idNumber) : '请填写身份证号';
    errors.idNumber = typeof id === 'string' ? id : underSixteen(id.birthDate) ? '申请入会须年满 16 周岁（按申请当日计算）' : '';
    errors.phone = !form.phone ? '请填写手机号' : PHONE_PATTERN.test(form.phone) ? '' : '手机号应为 11 位大陆手机号';
    if (!errors.phone && session.worker && `${form.phone.slice(0, 3)}****${form.phone.slice(7)}` !== session.worker.phoneMasked) {
      errors.phone = `须与登录手机号（${session.worker.phoneMasked}）一致`;
    }
    errors.employerName = form.employerName.trim().length > 100 ? '工作单位不能超过 100 个字' : '';
    if (!isGig.value && !form.employerName.trim()) errors.employerName = '请填写工作单位';
    return !Object.values(errors).some(Boolean);
  }

  function onIdInput(event: Event) {
    const input = event.target as HTMLInputElement;
    form.idNumber = input.value
      .replace(/[^0-9xX]/g, '')
      .toUpperCase()
      .slice(0, 18);
    input.value = form.idNumber;
    errors.idNumber = '';
  }

  function onIdBlur() {
    const r = form.idNumber ? checkResidentId(form.idNumber) : '';
    errors.idNumber = typeof r === 'string' ? r : '';
  }

  function onPhoneInput(event: Event) {
    const input = event.target as HTMLInputElement;
    form.phone = input.value.replace(/\D/g, '').slice(0, 11);
    input.value = form.phone;
    errors.phone = '';
  }

  /** The `person` and `employment` parts of the submission. */
  function payload() {
    const person: Record<string, unknown> = { idType: 'resident_id', idNumber: form.idNumber, name: form.name.trim(), phone: form.phone };
    if (form.education) person.education = form.education;
    if (form.politicalStatus) person.politicalStatus = form.politicalStatus;
    if (form.hukouType) person.hukouType = form.hukouType;
    const employment: Record<string, unknown> = { employmentForm: form.employmentForm, isMigrantWorker: form.isMigrantWorker };
    if (form.employerName.trim()) employment.employerName = form.employerName.trim();
    return { person, employment };
  }

  const idDisplayMasked = computed(() =>
    form.idNumber.length > 8 ? `${form.idNumber.slice(0, 4)}${'*'.repeat(form.idNumber.length - 8)}${form.idNumber.slice(-4)}` : form.idNumber,
  );
  const employmentLabel = computed(() => EMPLOYMENT_FORMS.find((f) => f.value === form.employmentForm)?.label ?? '');

  return { phoneKnown, form, errors, derived, isGig, validateForm, onIdInput, onIdBlur, onPhoneInput, payload, idDisplayMasked, employmentLabel };
}

export type JoinForm = ReturnType<typeof useJoinForm>;

const FORM_KEY: InjectionKey<JoinForm> = Symbol('join-form');
const UNION_KEY: InjectionKey<JoinUnion> = Symbol('join-union');

/** JoinView: hands the wizard's state to its step components. */
export function provideJoin(form: JoinForm, union: JoinUnion): void {
  provide(FORM_KEY, form);
  provide(UNION_KEY, union);
}

export function injectJoinForm(): JoinForm {
  const v = inject(FORM_KEY);
  if (!v) throw new Error('injectJoinForm() outside JoinView');
  return v;
}

export function injectJoinUnion(): JoinUnion {
  const v = inject(UNION_KEY);
  if (!v) throw new Error('injectJoinUnion() outside JoinView');
  return v;
}
