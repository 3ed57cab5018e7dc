from django.contrib import admin

from veille.suggestions.models import Candidate, Decision, Story, TopicModel


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["pk", "topic", "state", "candidate_count", "best_score", "updated_at"]
    list_filter = ["state"]
    raw_id_fields = ["topic", "first", "decided_by", "scoop"]


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["title", "topic", "source", "state", "score", "found_at"]
    list_filter = ["state"]
    search_fields = ["title", "url"]
    raw_id_fields = ["topic", "source", "story", "scoop"]


@admin.register(TopicModel)
class TopicModelAdmin(admin.ModelAdmin):
    list_display = ["topic", "decisions", "updated_at", "rescored_at"]
    raw_id_fields = ["topic"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["topic", "by", "action", "created_at", "undone_at"]
    raw_id_fields = ["topic", "by"]
