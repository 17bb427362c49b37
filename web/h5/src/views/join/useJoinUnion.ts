// 入会 screen 1's state: the union, preselected by a campaign QR (`?c=<token>`) or a per-org QR
// (`?org=<id>`), or found by the open search; a 县/镇 union (which takes no members itself) lists
// the grassroots unions under it to pick from.
import { computed, onBeforeUnmount, ref, watch } from 'vue';
import type { RouteLocationNormalizedLoaded } from 'vue-router';
import { showFailToast } from 'vant';
import 'vant/es/toast/style/index.mjs';
import { api, ApiError } from '../../../../shared/api';
import type { PublicCampaign, PublicUnion, UnionOption } from '../../join';

export function useJoinUnion(route: RouteLocationNormalizedLoaded, form: { employmentForm: string }) {
  const campaignToken = typeof route.query.c === 'string' && /^[A-Za-z0-9_-]{10,64}$/.test(route.query.c) ? route.query.c : null;
  const campaign = ref<PublicCampaign | null>(null);
  const campaignState = ref<'none' | 'loading' | 'ok' | 'closed' | 'invalid' | 'error'>(campaignToken ? 'loading' : 'none');
  const useCampaign = computed(() => campaignState.value === 'ok' && !!campaign.value);
  // A per-org QR code (`?org=<id>`): the union is preselected; a campaign token wins when both are given.
  const orgParam = !campaignToken && typeof route.query.org === 'string' && /^[1-9][0-9]{0,18}$/.test(route.query.org) ? route.query.org : null;
  const presetUnion = ref<PublicUnion | null>(null);
  const orgState = ref<'none' | 'loading' | 'ok' | 'inactive' | 'invalid' | 'error'>(orgParam ? 'loading' : 'none');
  const usePresetUnion = computed(() => orgState.value === 'ok' && !!presetUnion.value);
  const q = ref('');
  const searching = ref(false);
  const searched = ref(false);
  const results = ref<UnionOption[]>([]);
  const chosen = ref<UnionOption | null>(null);
  const unionError = ref('');
  let searchTimer: ReturnType<typeof setTimeout> | null = null;

  async function loadCampaign() {
    if (!campaignToken) return;
    campaignState.value = 'loading';
    try {
      campaign.value = await api<PublicCampaign>('GET', `/public/campaigns/${campaignToken}`);
      campaignState.value = campaign.value.open ? 'ok' : 'closed';
      if (campaign.value.open && !campaign.value.org.acceptsMembers) void search('');
      const forms = campaign.value.employmentForms;
      if (forms.length > 0 && forms[0]) form.employmentForm = forms[0];
    } catch (err) {
      campaignState.value = err instanceof ApiError && err.status === 404 ? 'invalid' : 'error';
    }
  }

  async function loadPresetUnion() {
    if (!orgParam) return;
    orgState.value = 'loading';
    try {
      presetUnion.value = await api<PublicUnion>('GET', `/worker/join/unions/${orgParam}`);
      if (presetUnion.value.active) {
        orgState.value = 'ok';
        if (presetUnion.value.acceptsMembers) chosen.value = presetUnion.value;
        else void search('');
      } else orgState.value = 'inactive';
    } catch (err) {
      orgState.value = err instanceof ApiError && err.status === 404 ? 'invalid' : 'error';
    }
  }

  /**
   * A campaign or QR code of a 县/镇 union (which takes no members itself): the worker picks a
   * grassroots union under it, listed at once and searched within it.
   */
  const pickUnder = computed(() => {
    if (useCampaign.value && campaign.value && !campaign.value.org.acceptsMembers) return campaign.value.org;
    if (usePresetUnion.value && presetUnion.value && !presetUnion.value.acceptsMembers) return presetUnion.value;
    return null;
  });

  async function search(text: string) {
    const v = text.trim();
    const under = pickUnder.value?.id;
    if (!v && !under) {
      results.value = [];
      searched.value = false;
      return;
    }
    searching.value = true;
    try {
      results.value = (await api<{ items: UnionOption[] }>('GET', '/worker/join/unions', undefined, { q: v || undefined, under })).items;
      searched.value = true;
    } catch (err) {
      showFailToast(err instanceof ApiError ? err.message : '网络连接失败，请稍后重试');
    } finally {
      searching.value = false;
    }
  }

  watch(q, (v) => {
    if (searchTimer) clearTimeout(searchTimer);
    searchTimer = setTimeout(() => void search(v), 300);
  });
  onBeforeUnmount(() => {
    if (searchTimer) clearTimeout(searchTimer);
  });

  function quickSearch(text: string) {
    q.value = text;
  }

  function pick(u: UnionOption) {
    chosen.value = u;
    unionError.value = '';
  }

  /** The open search (no campaign or QR union to go by). */
  const showSearch = computed(() => campaignState.value !== 'loading' && orgState.value !== 'loading' && !useCampaign.value && !usePresetUnion.value);

  const targetName = computed(() => (useCampaign.value && !pickUnder.value ? campaign.value!.org.name : (chosen.value?.name ?? '')));

  /** Leaves the campaign's or the QR code's union for the open search. */
  function chooseAnother() {
    campaignState.value = 'none';
    campaign.value = null;
    if (orgState.value === 'ok') chosen.value = null;
    orgState.value = 'none';
  }

  /** Screen 1 is done when a union is known; otherwise says what is missing. */
  function checkChosen(): boolean {
    if ((!useCampaign.value || pickUnder.value) && !chosen.value) {
      unionError.value = pickUnder.value ? '请选择要加入的基层工会' : '请先选择要加入的工会';
      return false;
    }
    return true;
  }

  /** What the submission names: the campaign (and the union picked under it) or the chosen union. */
  function target(): { campaignToken?: string; targetOrgId?: string } {
    return useCampaign.value
      ? { campaignToken: campaignToken!, ...(pickUnder.value ? { targetOrgId: chosen.value!.id } : {}) }
      : { targetOrgId: chosen.value!.id };
  }

  return {
    campaign,
    campaignState,
    useCampaign,
    presetUnion,
    orgState,
    usePresetUnion,
    q,
    searching,
    searched,
    results,
    chosen,
    unionError,
    pickUnder,
    showSearch,
    targetName,
    loadCampaign,
    loadPresetUnion,
    quickSearch,
    pick,
    chooseAnother,
    checkChosen,
    target,
  };
}

export type JoinUnion = ReturnType<typeof useJoinUnion>;
